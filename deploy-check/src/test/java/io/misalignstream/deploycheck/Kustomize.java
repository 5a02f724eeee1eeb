package io.misalignstream.deploycheck;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.yaml.snakeyaml.Yaml;

/**
 * The part of kustomize the manifests use, strict about what it does not know: resources (files and kustomization
 * folders), configMapGenerator with files, strategic-merge patches, JSON 6902 patches with a target, images and
 * namespace. Every referenced file must exist, every patch and image must match an object; an unknown field fails.
 */
final class Kustomize {

    private static final Set<String> KNOWN_FIELDS = Set.of(
            "apiVersion", "kind", "namespace", "resources", "patches", "images", "configMapGenerator", "generatorOptions");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace");

    private Kustomize() {
    }

    /** The objects {@code kustomize build folder} makes, as maps. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> build(Path folder) {
        Path file = folder.resolve("kustomization.yaml");
        require(Files.isRegularFile(file), "no kustomization.yaml in " + folder);
        Map<String, Object> kustomization = new Yaml().load(ProjectFiles.read(file));
        for (String field : kustomization.keySet()) {
            require(KNOWN_FIELDS.contains(field), file + ": field '" + field + "' is not implemented by this check");
        }
        List<Map<String, Object>> objects = new ArrayList<>();
        for (String resource : (List<String>) kustomization.getOrDefault("resources", List.of())) {
            Path path = folder.resolve(resource).normalize();
            if (Files.isDirectory(path)) {
                objects.addAll(build(path));
            } else {
                require(Files.isRegularFile(path), file + ": resource " + resource + " does not exist");
                objects.addAll(loadAll(path));
            }
        }
        Map<String, Object> generatorOptions = (Map<String, Object>) kustomization.getOrDefault("generatorOptions", Map.of());
        for (Map<String, Object> generator : (List<Map<String, Object>>) kustomization.getOrDefault("configMapGenerator", List.of())) {
            require(Boolean.TRUE.equals(generatorOptions.get("disableNameSuffixHash")),
                    file + ": generated names with hash suffixes are not implemented by this check");
            Map<String, Object> data = new LinkedHashMap<>();
            for (String source : (List<String>) generator.get("files")) {
                Path path = folder.resolve(source);
                require(Files.isRegularFile(path), file + ": configMapGenerator file " + source + " does not exist");
                data.put(path.getFileName().toString(), ProjectFiles.read(path));
            }
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("name", generator.get("name"));
            metadata.put("labels", generatorOptions.getOrDefault("labels", Map.of()));
            Map<String, Object> configMap = new LinkedHashMap<>();
            configMap.put("apiVersion", "v1");
            configMap.put("kind", "ConfigMap");
            configMap.put("metadata", metadata);
            configMap.put("data", data);
            objects.add(configMap);
        }
        for (Map<String, Object> patch : (List<Map<String, Object>>) kustomization.getOrDefault("patches", List.of())) {
            Path path = folder.resolve((String) patch.get("path"));
            require(Files.isRegularFile(path), file + ": patch " + patch.get("path") + " does not exist");
            Map<String, Object> target = (Map<String, Object>) patch.get("target");
            if (target == null) {
                for (Map<String, Object> change : loadAll(path)) {
                    Map<String, Object> object = objects.stream().filter(candidate -> sameObject(candidate, change)).findFirst()
                            .orElseThrow(() -> new AssertionError(file + ": patch " + path.getFileName() + " targets "
                                    + change.get("kind") + "/" + name(change) + ", which the base does not have"));
                    mergeInto(object, change);
                }
            } else {
                List<Map<String, Object>> operations = new Yaml().load(ProjectFiles.read(path));
                List<Map<String, Object>> matched = objects.stream().filter(object -> matches(object, target)).toList();
                require(!matched.isEmpty(), file + ": patch " + path.getFileName() + " matches no object (" + target + ")");
                matched.forEach(object -> operations.forEach(operation -> JsonPatch.apply(object, operation, path)));
            }
        }
        for (Map<String, Object> image : (List<Map<String, Object>>) kustomization.getOrDefault("images", List.of())) {
            int replaced = 0;
            for (Map<String, Object> container : containers(objects)) {
                String current = (String) container.get("image");
                if (current.equals(image.get("name")) || current.startsWith(image.get("name") + ":")) {
                    container.put("image", image.get("newName") + ":" + image.get("newTag"));
                    replaced++;
                }
            }
            require(replaced > 0, file + ": image " + image.get("name") + " is no container's image");
        }
        if (kustomization.containsKey("namespace")) {
            objects.stream().filter(object -> !CLUSTER_SCOPED.contains(object.get("kind")))
                    .forEach(object -> metadata(object).put("namespace", kustomization.get("namespace")));
        }
        return objects;
    }

    static List<Map<String, Object>> loadAll(Path file) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml().loadAll(ProjectFiles.read(file))) {
            if (document != null) {
                require(document instanceof Map, file + ": a document that is not an object");
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) document;
                documents.add(object);
            }
        }
        return documents;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> metadata(Map<String, Object> object) {
        return (Map<String, Object>) object.computeIfAbsent("metadata", key -> new LinkedHashMap<>());
    }

    static String name(Map<String, Object> object) {
        return (String) metadata(object).get("name");
    }

    /** The containers of every Deployment and StatefulSet. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> containers(List<Map<String, Object>> objects) {
        List<Map<String, Object>> containers = new ArrayList<>();
        for (Map<String, Object> object : objects) {
            if (Set.of("Deployment", "StatefulSet").contains(object.get("kind"))) {
                Map<String, Object> template = (Map<String, Object>) ((Map<String, Object>) object.get("spec")).get("template");
                containers.addAll((List<Map<String, Object>>) ((Map<String, Object>) template.get("spec")).get("containers"));
            }
        }
        return containers;
    }

    private static boolean sameObject(Map<String, Object> object, Map<String, Object> patch) {
        return Objects.equals(object.get("apiVersion"), patch.get("apiVersion")) && Objects.equals(object.get("kind"), patch.get("kind"))
                && Objects.equals(name(object), name(patch));
    }

    private static boolean matches(Map<String, Object> object, Map<String, Object> target) {
        String apiVersion = (String) object.get("apiVersion");
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        return (!target.containsKey("kind") || target.get("kind").equals(object.get("kind")))
                && (!target.containsKey("group") || target.get("group").equals(group))
                && (!target.containsKey("name") || target.get("name").equals(name(object)));
    }

    /** Strategic merge as far as used here: objects merge by key, lists of named objects by name, other lists are replaced. */
    @SuppressWarnings("unchecked")
    static void mergeInto(Map<String, Object> into, Map<String, Object> change) {
        change.forEach((key, value) -> {
            Object current = into.get(key);
            if (value == null) {
                into.remove(key);
            } else if (current instanceof Map && value instanceof Map) {
                mergeInto((Map<String, Object>) current, (Map<String, Object>) value);
            } else if (current instanceof List<?> list && value instanceof List<?> changes && isNamedList(list) && isNamedList(changes)) {
                for (Object element : changes) {
                    Map<String, Object> named = (Map<String, Object>) element;
                    Map<String, Object> existing = (Map<String, Object>) list.stream()
                            .filter(candidate -> Objects.equals(((Map<String, Object>) candidate).get("name"), named.get("name")))
                            .findFirst().orElse(null);
                    if (existing == null) {
                        ((List<Object>) list).add(named);
                    } else {
                        mergeInto(existing, named);
                    }
                }
            } else {
                into.put(key, value);
            }
        });
    }

    private static boolean isNamedList(List<?> list) {
        return !list.isEmpty() && list.stream().allMatch(element -> element instanceof Map<?, ?> map && map.containsKey("name"));
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
