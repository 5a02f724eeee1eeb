package io.misalignstream.deploycheck;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment variables a service reads: those its application.properties names ({@code ${VAR:default}}), the
 * environment form of every property it sets, and every property of its {@code @ConfigMapping} interfaces (a map's
 * key is any name: {@code SAMPLER_GENERATORS_POOL_<NAME>_BASE_URL}).
 */
final class ServiceEnvironment {

    /** The API-key mapping of the services with a REST API, from the api-keys module. */
    private static final String API_KEYS = "io.misalignstream.apikeys.ApiKeysConfig";
    /** How every service stops, from the messaging module. */
    private static final String SHUTDOWN = "io.misalignstream.messaging.ShutdownConfig";
    private static final Map<String, List<String>> MAPPINGS = Map.of(
            "classifier-service", List.of("io.misalignstream.classifier.config.ClassifierConfig",
                    "io.misalignstream.classifier.config.FrontDoorConfig", API_KEYS, SHUTDOWN),
            "expander-service", List.of("io.misalignstream.expander.config.ExpanderConfig", SHUTDOWN),
            "dedup-service", List.of("io.misalignstream.dedup.config.DedupConfig", SHUTDOWN),
            "sampler-service", List.of("io.misalignstream.sampler.config.SamplerConfig", API_KEYS, SHUTDOWN),
            "evaluator-service", List.of("io.misalignstream.evaluator.config.EvaluatorConfig", API_KEYS, SHUTDOWN));
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)");
    private static final String MAP_KEY = "[A-Z0-9_]+";

    private final List<Pattern> accepted = new ArrayList<>();

    private ServiceEnvironment() {
    }

    static ServiceEnvironment of(String service) {
        ServiceEnvironment environment = new ServiceEnvironment();
        Properties properties = ProjectFiles.applicationProperties(service);
        for (String key : properties.stringPropertyNames()) {
            if (!key.startsWith("%")) {
                environment.accepted.add(Pattern.compile(Pattern.quote(envForm(key))));
            }
            Matcher reference = REFERENCE.matcher(properties.getProperty(key));
            while (reference.find()) {
                environment.accepted.add(Pattern.compile(Pattern.quote(reference.group(1))));
            }
        }
        for (String mapping : MAPPINGS.get(service)) {
            try {
                Class<?> type = Class.forName(mapping);
                environment.walk(type, Pattern.quote(envForm(type.getAnnotation(ConfigMapping.class).prefix())));
            } catch (ClassNotFoundException e) {
                throw new AssertionError(service + ": config mapping " + mapping + " is gone", e);
            }
        }
        return environment;
    }

    /** {@code misalign.shutdown.drain-timeout}'s default, in seconds, from {@code ShutdownConfig}. */
    static long defaultDrainSeconds() {
        try {
            return seconds(Class.forName(SHUTDOWN).getMethod("drainTimeout").getAnnotation(io.smallrye.config.WithDefault.class).value());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("ShutdownConfig.drainTimeout is gone", e);
        }
    }

    /** Seconds of a duration written as Quarkus and compose write them: {@code 30s}, {@code 2m}. */
    static long seconds(String duration) {
        return java.time.Duration.parse("PT" + duration.toUpperCase()).toSeconds();
    }

    boolean reads(String variable) {
        return accepted.stream().anyMatch(pattern -> pattern.matcher(variable).matches());
    }

    /** SmallRye Config's environment form: every character that is not a letter or digit becomes _, upper case. */
    static String envForm(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
    }

    private void walk(Class<?> group, String prefix) {
        for (Method method : group.getMethods()) {
            if (method.isDefault() || Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0) {
                continue;
            }
            WithName withName = method.getAnnotation(WithName.class);
            String name = withName != null ? withName.value() : kebab(method.getName());
            String path = prefix + "_" + Pattern.quote(envForm(name));
            leafOrGroup(method.getGenericReturnType(), path);
        }
    }

    private void leafOrGroup(Type type, String path) {
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            if (raw == Optional.class) {
                leafOrGroup(parameterized.getActualTypeArguments()[0], path);
                return;
            }
            if (raw == Map.class) {
                leafOrGroup(parameterized.getActualTypeArguments()[1], path + "_" + MAP_KEY);
                return;
            }
        }
        if (type instanceof Class<?> type0 && type0.isInterface() && type0.getName().startsWith("io.misalignstream.")) {
            walk(type0, path);
            return;
        }
        accepted.add(Pattern.compile(path));
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}
