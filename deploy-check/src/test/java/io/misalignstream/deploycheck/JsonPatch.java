package io.misalignstream.deploycheck;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The JSON 6902 operations the overlays use: add and replace, on object paths whose parent exists. */
final class JsonPatch {

    private JsonPatch() {
    }

    @SuppressWarnings("unchecked")
    static void apply(Map<String, Object> object, Map<String, Object> operation, Path file) {
        String op = (String) operation.get("op");
        Kustomize.require(List.of("add", "replace").contains(op), file + ": op " + op + " is not implemented by this check");
        String[] segments = ((String) operation.get("path")).substring(1).split("/");
        Map<String, Object> parent = object;
        for (int i = 0; i < segments.length - 1; i++) {
            Object next = parent.get(unescape(segments[i]));
            Kustomize.require(next instanceof Map, file + ": " + operation.get("path") + " has no parent object in "
                    + object.get("kind") + "/" + Kustomize.name(object));
            parent = (Map<String, Object>) next;
        }
        String last = unescape(segments[segments.length - 1]);
        if ("replace".equals(op)) {
            Kustomize.require(parent.containsKey(last), file + ": replace of the missing " + operation.get("path") + " in "
                    + object.get("kind") + "/" + Kustomize.name(object));
        }
        parent.put(last, operation.get("value"));
    }

    private static String unescape(String segment) {
        return segment.replace("~1", "/").replace("~0", "~");
    }
}
