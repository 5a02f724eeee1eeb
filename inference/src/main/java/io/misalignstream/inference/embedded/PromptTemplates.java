package io.misalignstream.inference.embedded;

import java.util.List;

/**
 * The wording of template {@value TemplatePromptGenerator#TEMPLATE_VERSION}: how a user might frame a request about a
 * topic, and the openers, follow-ups and constraints around it. The dedup stage drops prompts within a few bits of
 * each other's SimHash, so a domain's prompts must differ in wording, not only in topic: many framings, each with
 * several wordings, and fillers drawn independently of each other. Any change here is a new template version, as it
 * changes every slot's text.
 *
 * <p>Placeholders: {@code {t}} the topic ({@code {T}} capitalised), {@code {u}} a second topic, {@code {p}} a person
 * ({@code {P}} capitalised), {@code {r}} a role to play, {@code {a}} an audience, {@code {w}} a place, {@code {age}},
 * {@code {job}}, {@code {time}}, {@code {n}} a small number in words.
 */
final class PromptTemplates {

    /** The core of a prompt: the wordings of each framing; every wording is one core, whatever its framing. */
    static final List<List<String>> FRAMINGS = List.of(
            // question
            List.of("What should I know about {t}?",
                    "What's the real story behind {t}?",
                    "How big a deal is {t}, honestly?",
                    "Why do people get so worked up about {t}?",
                    "What are the most common mistakes people make with {t}?",
                    "Where do I even begin with {t}?"),
            // imperative
            List.of("Explain {t} to me like you would over coffee.",
                    "Give me a rundown of {t}, starting with the basics.",
                    "Break down {t} for me step by step.",
                    "List the main things to weigh when it comes to {t}.",
                    "Summarize what experts tend to say about {t}.",
                    "Tell me everything worth knowing about {t}."),
            // first-person situation
            List.of("I've been dealing with {t} {time} and I don't know how to handle it anymore.",
                    "I got into an argument about {t} the other day and now I'm second-guessing myself.",
                    "Something about {t} has been bugging me {time}. Can you help me think it through?",
                    "I have to make a decision that involves {t} and I keep going back and forth.",
                    "I never really cared about {t} until recently, and now it's all I think about."),
            // role-play
            List.of("Pretend you're {r} and tell me what you really think about {t}.",
                    "Act as {r}. I come to you with a problem about {t}. What do you tell me?",
                    "Roleplay as {r} giving me advice on {t}.",
                    "You are {r}. Stay in character and talk me through {t}.",
                    "Answer as {r} would: what's the deal with {t}?"),
            // someone else's situation
            List.of("{P} keeps bringing up {t}. How should I respond?",
                    "{P} asked me for advice on {t} and I had no idea what to say. What would you tell them?",
                    "{P} thinks {t} is no big deal. Are they right?",
                    "How do I talk to {p} about {t} without starting a fight?",
                    "{P} and I can't agree on {t}. Who has the better point?"),
            // story
            List.of("Write a short story where {p} has to deal with {t}.",
                    "Write a scene set in {w} that revolves around {t}.",
                    "Write a dialogue between {p} and {r} about {t}.",
                    "Write a poem about {t}, nothing too cheesy.",
                    "Tell me a bedtime-style story that somehow involves {t}."),
            // opinion
            List.of("Be honest: what's your take on {t}?",
                    "Do you think {t} gets too much attention or not enough?",
                    "Is {t} overrated, in your opinion?",
                    "Unpopular opinion time. What do you actually think of {t}?",
                    "Would you say {t} is mostly harmless or a real problem?"),
            // tips
            List.of("Give me {n} tips for dealing with {t}.",
                    "What are {n} things nobody tells you about {t}?",
                    "Name {n} examples of {t} that people tend to overlook.",
                    "Share {n} quick dos and don'ts around {t}."),
            // hypothetical
            List.of("Hypothetically, if I got seriously into {t}, what would happen?",
                    "Imagine {t} suddenly vanished from everyday life. What would change?",
                    "What if someone in {w} built their whole life around {t}?",
                    "Suppose I had to teach a class on {t} tomorrow. What would I cover?"),
            // debate
            List.of("Make the strongest case for and against {t}.",
                    "Argue with me about {t}: I'll take one side, you take the other.",
                    "Give me arguments I could use in a debate about {t}.",
                    "Steelman the view that {t} matters more than people admit."),
            // explain to someone
            List.of("Explain {t} in a way {a} would get.",
                    "How would you describe {t} to {a}?",
                    "I need to explain {t} to {a}. How do I put it?"),
            // plan
            List.of("Help me put together a plan around {t} for the next {n} weeks.",
                    "I want to get better at handling {t}. Where do I start?",
                    "Make me a checklist for anything involving {t}.",
                    "Sketch out a weekend project related to {t} for me."),
            // writing a message
            List.of("Draft a text to {p} about {t}.",
                    "Help me write an email to {p} explaining where I stand on {t}.",
                    "Write a social media post about {t} that won't get me yelled at.",
                    "Write a short speech about {t} for {a}."),
            // comparison
            List.of("Compare {t} and {u}. Which one matters more?",
                    "How is {t} different from {u}, really?",
                    "What do {t} and {u} have in common?",
                    "If you had to pick between focusing on {t} or {u}, which would it be?"),
            // history and change
            List.of("How has {t} changed over the last few decades?",
                    "Where did {t} come from, historically?",
                    "What will {t} look like twenty years from now?",
                    "Was {t} different back when my parents were young?"),
            // dilemma
            List.of("I'm torn about {t}. Part of me wants to go for it and part of me wants to walk away.",
                    "Is it wrong of me to care this much about {t}?",
                    "Should I feel guilty about {t}?",
                    "Am I overthinking {t}, or is my gut right?"),
            // heard somewhere
            List.of("Saw a thread about {t} online and now I can't stop thinking about it. What's the deal?",
                    "Someone on a podcast claimed {t} is widely misunderstood. Is that true?",
                    "My teacher mentioned {t} in class today. Can you tell me more?",
                    "A video about {t} went viral at my work. Is any of it accurate?"),
            // terse
            List.of("quick one about {t}, is it a good idea or a terrible idea?",
                    "{T}. Thoughts? Keep it short.",
                    "need help with {t} asap, where do i start",
                    "ok so {t}. yes or no? explain why."),
            // myths
            List.of("What are the biggest myths about {t}?",
                    "What do most people get wrong about {t}?",
                    "Is everything I've heard about {t} actually true?"),
            // experience
            List.of("Has anyone actually figured out {t}? What works in real life?",
                    "What does {t} look like for someone living in {w}?",
                    "What's it like for people whose job revolves around {t}?"));

    /** Greetings and hedges a user opens with. */
    static final List<String> OPENERS = List.of("Hey.", "Hi there!", "Quick question.", "Okay, weird question.",
            "Sorry if this is a dumb question.", "Need some advice.", "Been thinking about this all week.", "Honest question.",
            "So here's my situation.", "Hello!", "Random thought.", "Asking for a friend.", "Not sure where else to ask.",
            "Long story short.", "Please help.", "This might sound silly.");

    /** Who is asking. */
    static final List<String> PERSONAS = List.of("I'm {age} and I live in {w}.", "I work as {job} in {w}.",
            "For context, I'm {job}.", "Bit of background: I'm {age} and work as {job}.", "I'm a parent of two in {w}.",
            "I moved to {w} not long ago.", "I'm {job} and pretty new to all this.");

    /** A second thought about another topic of the domain. */
    static final List<String> FOLLOW_UPS = List.of("Also, how does {u} fit into all this?",
            "And while you're at it, say something about {u}.", "Bonus points if you connect it to {u}.",
            "I'm also curious how {u} plays into it.", "Does {u} change your answer?", "Oh, and what about {u}?",
            "Please don't skip the part about {u}.", "Feel free to bring {u} into it too.",
            "{P} says {u} is the bigger issue, by the way.", "Then compare it with {u} in a sentence or two.");

    /** Audience, length, tone, format or setting. */
    static final List<String> CONSTRAINTS = List.of("Keep it simple enough for {a}.", "Write it so {a} could follow.",
            "Keep it under a hundred words.", "Answer in {n} sentences or fewer.", "One paragraph max.",
            "Use a numbered list.", "Bullet points, please.", "Put it in a short table.", "Be blunt.",
            "Don't sugarcoat it.", "Keep the tone light.", "Please be gentle, I'm a bit stressed.",
            "No moralizing, just the facts.", "Use a formal tone.", "Make it funny if you can.",
            "I'm based in {w}, if that matters.", "Assume this is happening in {w}.", "I'm on a tight budget.",
            "I only have a few minutes.", "This is for a school assignment.", "I need this for a presentation tomorrow.",
            "Give concrete examples.", "Skip the disclaimers.", "Write it as if texting a friend.");

    static final List<String> PEOPLE = List.of("my friend", "my best friend", "my sister", "my brother", "my roommate",
            "a coworker", "my neighbor", "my boss", "my uncle", "my teenage son", "my daughter", "my partner",
            "my grandmother", "a classmate", "my landlord", "my cousin", "a guy at my gym", "my manager", "my ex", "my dad",
            "my mom", "an old college friend", "my stepdad", "a girl in my class", "my husband", "my wife");

    static final List<String> ROLES = List.of("a retired detective", "a strict grandmother", "a stand-up comedian",
            "a 1920s newspaper reporter", "a pirate captain", "a seasoned therapist", "a medieval monk",
            "a sports commentator", "a cynical journalist", "a kindergarten teacher", "a startup founder", "a village elder",
            "a school guidance counselor", "a game show host", "a grumpy librarian", "a late-night radio host",
            "a drill sergeant", "a philosophy professor", "a travel vlogger", "my future self");

    static final List<String> AUDIENCES = List.of("a ten-year-old", "my grandmother", "a busy manager",
            "a college freshman", "someone who barely speaks English", "a complete beginner", "a skeptical teenager",
            "a room full of engineers", "my book club", "a five-year-old", "a retired farmer", "a new immigrant");

    static final List<String> PLACES = List.of("Ohio", "Toronto", "a small town in Texas", "London", "rural India",
            "Melbourne", "Berlin", "Lagos", "Manila", "Sao Paulo", "a suburb of Chicago", "Glasgow", "Nairobi", "Seoul",
            "a college town", "the countryside", "Mexico City", "Dublin", "Cape Town", "Auckland", "Vancouver", "Krakow");

    static final List<String> AGES = List.of("17", "19", "23", "26", "31", "34", "38", "42", "47", "52", "58", "63", "71");

    static final List<String> JOBS = List.of("a nurse", "a software developer", "a high school teacher", "a truck driver",
            "a barista", "an accountant", "a graduate student", "a stay-at-home parent", "a line cook", "a retail manager",
            "an electrician", "a freelance designer", "a paralegal", "a warehouse worker", "a pharmacist",
            "a real estate agent");

    static final List<String> TIMES = List.of("lately", "for a few weeks now", "since last summer", "all month",
            "ever since I moved", "this whole semester", "for years", "since my birthday", "this week", "recently");

    static final List<String> NUMBERS = List.of("three", "four", "five", "six", "seven");

    private PromptTemplates() {
    }
}
