package io.monitml.ingest;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of a Seldon Core v2 topic: {@code <prefix>.<namespace>.model.<model>.inputs|outputs}
 * (or {@code .pipeline.<name>.}), which is all the identity a v2 record carries besides the
 * model version inside its response.
 */
public record SeldonV2Topic(String namespace, String kind, String name, boolean outputs) {

    /** The subscription pattern of every model and pipeline topic under {@code prefix}. */
    public static Pattern pattern(final String prefix) {
        return Pattern.compile(Pattern.quote(prefix) + "\\.([^.]+)\\.(model|pipeline)\\.([^.]+)\\.(inputs|outputs)");
    }

    public static Optional<SeldonV2Topic> parse(final Pattern pattern, final String topic) {
        final Matcher matcher = pattern.matcher(topic);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new SeldonV2Topic(matcher.group(1), matcher.group(2), matcher.group(3), matcher.group(4).equals("outputs")));
    }
}
