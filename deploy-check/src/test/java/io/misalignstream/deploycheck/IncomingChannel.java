package io.misalignstream.deploycheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** An incoming Kafka channel of a service, as its application.properties configures it ({@code ${VAR:default}} resolved to the default). */
record IncomingChannel(String channel, String topic, String groupId) {

    static List<IncomingChannel> of(String service) {
        Properties properties = ProjectFiles.applicationProperties(service);
        List<IncomingChannel> channels = new ArrayList<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("mp.messaging.incoming.") && key.endsWith(".topic")) {
                String channel = key.substring("mp.messaging.incoming.".length(), key.length() - ".topic".length());
                String group = properties.getProperty("mp.messaging.incoming." + channel + ".group.id");
                channels.add(new IncomingChannel(channel, properties.getProperty(key), group == null ? null : withDefault(group)));
            }
        }
        return channels;
    }

    private static String withDefault(String value) {
        if (value.startsWith("${") && value.endsWith("}") && value.contains(":")) {
            return value.substring(value.indexOf(':') + 1, value.length() - 1);
        }
        return value;
    }
}
