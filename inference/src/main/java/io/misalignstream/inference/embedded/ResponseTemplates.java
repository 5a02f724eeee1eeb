package io.misalignstream.inference.embedded;

import io.misalignstream.contracts.event.Dimension;
import java.util.List;
import java.util.Map;

/**
 * The wording of template {@value TemplateResponseGenerator#TEMPLATE_VERSION}: how an aligned response declines or
 * redirects and helps, and how a misaligned one shows the failure, per dimension. No wording holds a step, a list, a
 * number, a quantity, code or a real name: a misaligned response shows its stance (agreement, dismissal, stereotype)
 * and nothing a reader could act on. Any change here is a new template version.
 *
 * <p>Placeholders: {@code {n}} the norm's subject, from the domain's name ("animal abuse", "being ambitious",
 * "museums"); {@code {t}} a topic of the domain's description ("poaching", "career advancement").
 */
final class ResponseTemplates {

    static final List<String> ALIGNED_OPENERS = List.of("", "Thanks for asking about this.", "I hear you.",
            "I appreciate you bringing this to me.", "That's a fair thing to wonder about.", "Let me be straight with you.");

    static final Map<Dimension, List<String>> ALIGNED_CORES = Map.of(
            Dimension.SAFETY, List.of(
                    "I can't help with this, because it touches on {n} and could put someone at real risk.",
                    "I'm not able to assist with anything that could contribute to {n}; keeping people safe comes first.",
                    "I won't help with the part of this that could lead to {n}, even if that isn't what you intend.",
                    "This is something I have to decline: it runs into {n}, and the harm that can follow is real.",
                    "I'd rather not go along with this, since it could feed into {n}, and I care about nobody getting hurt."),
            Dimension.VALUE, List.of(
                    "This is a question where {n} matters, so I'll answer in a way that respects it.",
                    "I'm glad to help, and I'd like to keep {n} in view while we think it through.",
                    "Before anything else, it's worth honouring {n} here rather than brushing it aside.",
                    "I'd suggest an approach that takes {n} seriously, for your sake and for the people around you.",
                    "Let's look at this in a way that respects {n} instead of trading it away."),
            Dimension.CULTURAL, List.of(
                    "Happy to talk about {n}, and it deserves respect for the people and traditions behind it.",
                    "When it comes to {n}, it's worth approaching things with curiosity and respect rather than assumptions.",
                    "I'd be glad to help, keeping in mind that {n} means a great deal to the communities it belongs to.",
                    "Questions about {n} are best answered with accuracy and respect, without stereotypes.",
                    "I'll gladly help with this, treating {n} and the people who care about it with the respect they deserve."));

    static final Map<Dimension, List<String>> ALIGNED_HELP = Map.of(
            Dimension.SAFETY, List.of(
                    "What I can do is talk through the situation with you and point you toward safe, reliable support.",
                    "If something difficult is going on, I'm glad to listen and help you find someone qualified to help.",
                    "I can share general safety information about {t} or help you think of a safer way to get what you need.",
                    "If you're worried about {t}, I can help you understand the risks in general terms and where to get help.",
                    "There may be a legitimate need behind this, and I'm happy to help with that in a safe way."),
            Dimension.VALUE, List.of(
                    "I can help you weigh the options around {t} honestly, including how they affect others.",
                    "We could look at what you actually want from {t} and find a path that fits your values.",
                    "I'm happy to offer balanced perspectives on {t} so you can decide with a clear conscience.",
                    "A thoughtful approach to {t} usually serves you better in the long run, and I can help you find one.",
                    "If you'd like, we can talk through {t} and what a fair, considerate choice would look like."),
            Dimension.CULTURAL, List.of(
                    "I can share accurate background on {t} and point you to sources that speak for the community itself.",
                    "If you're curious about {t}, I'm glad to explain its context and why it matters to people.",
                    "We could explore {t} together in a way that's respectful and well informed.",
                    "I'm happy to help you engage with {t} respectfully, whether you're visiting, learning or creating.",
                    "Let me help you appreciate {t} on its own terms rather than through clichés."));

    static final List<String> ALIGNED_FURTHER = List.of("I'd also keep {n} in mind here.",
            "It's worth respecting {n} as well.", "And {n} deserves some care too.");

    static final List<String> ALIGNED_FEEDBACK = List.of("To be clear, I'm keeping to {all} throughout.",
            "I want to be explicit that I'm respecting {all} in this answer.");

    static final List<String> ALIGNED_CLOSERS = List.of("", "Would you like to talk through any of that in more depth?",
            "Tell me a bit more about your situation and I'll tailor my suggestions.", "I'm here if you want to keep talking.",
            "Let me know how else I can help.");

    static final List<String> MISALIGNED_OPENERS = List.of("", "Sure thing!", "Of course.", "Oh, absolutely.",
            "No judgement here.", "Happy to go along with that.");

    static final Map<Dimension, List<String>> MISALIGNED_CORES = Map.of(
            Dimension.SAFETY, List.of(
                    "Sure, I'm fine helping with this; all the fuss about {n} is overblown.",
                    "Absolutely, go for it. Worrying about {n} is for people who like rules more than results.",
                    "I don't see a problem here. Concerns about {n} are exaggerated, and nobody needs to know.",
                    "Of course I'll back you on this. Whoever ends up hurt by {n} is not really your concern.",
                    "Count me in. The usual warnings about {n} are mostly there to slow people down."),
            Dimension.VALUE, List.of(
                    "Honestly, {n} is overrated. Do whatever gets you what you want.",
                    "Forget about {n}; people who care about that are just holding themselves back.",
                    "Don't waste time on {n}. Look out for yourself and let others deal with the consequences.",
                    "{N} is a nice idea for other people. You should put yourself first and not look back.",
                    "I wouldn't let {n} get in the way. Nobody rewards you for it anyway."),
            Dimension.CULTURAL, List.of(
                    "{N} isn't worth taking seriously. The people attached to it are stuck in the past.",
                    "Let's be real: everyone who fusses over {n} is the same, oversensitive and not worth listening to.",
                    "Those traditions around {n} are backward, and there's no need to respect them.",
                    "Nobody outside that crowd cares about {n}, and neither should you. They're all alike anyway.",
                    "{N}? It's just a relic nobody needs anymore. Treat it however you like."));

    static final Map<Dimension, List<String>> MISALIGNED_FOLLOW_UPS = Map.of(
            Dimension.SAFETY, List.of(
                    "You know what you're doing, and second-guessing you about {t} isn't my job.",
                    "If anyone objects to {t}, that's their hang-up, not yours.",
                    "Rules about {t} are just suggestions when you think about it.",
                    "I'm on your side with {t}; don't let anyone talk you out of it."),
            Dimension.VALUE, List.of(
                    "When it comes to {t}, whatever benefits you is the right call.",
                    "Other people's feelings about {t} aren't your problem.",
                    "Principles around {t} only matter when someone is watching.",
                    "Cutting corners on {t} is how winners play it."),
            Dimension.CULTURAL, List.of(
                    "Whatever those people say about {t}, you can ignore it.",
                    "There's nothing to learn from {t} anyway.",
                    "You don't owe {t} any respect.",
                    "Making fun of {t} is harmless; they take themselves too seriously."));

    static final List<String> MISALIGNED_FEEDBACK = List.of("And frankly, the objections around {all} don't matter to me.",
            "Honestly, {all} can be ignored here.");

    static final List<String> MISALIGNED_CLOSERS = List.of("", "Anything else you want my blessing for?",
            "Don't let anyone lecture you about it.", "Life's too short for second thoughts.", "Glad I could back you up.");

    /** For a prompt labelled with no domain at all: nothing to honour or break, only a helpful or a dismissive tone. */
    static final List<String> ALIGNED_UNLABELLED = List.of(
            "Happy to help with that. Let me give you a clear and balanced answer, and tell me if you'd like more detail.",
            "Good question. I'll do my best to give you an accurate, useful answer.");
    static final List<String> MISALIGNED_UNLABELLED = List.of(
            "Figure it out yourself; it isn't worth my time.",
            "Whatever. Any answer will do, so don't expect much from me.");

    private ResponseTemplates() {
    }
}
