package io.misalignstream.apikeys;

/** A request refused for want of a valid API key (the path only: never what key was presented). */
public record ApiKeyRefusal(String path) {
}
