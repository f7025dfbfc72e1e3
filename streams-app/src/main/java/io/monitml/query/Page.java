package io.monitml.query;

import java.util.Map;

/**
 * A page of {@code /units}: at most {@code limit} units whose key sorts after {@code after}.
 *
 * @param after null: from the first unit
 */
record Page(int limit, String after) {

    static final int DEFAULT = 100;
    static final int MAX = 1000;

    static Page of(final Map<String, String> query) {
        int limit = DEFAULT;
        final String given = query.get("limit");
        if (given != null) {
            try {
                limit = Integer.parseInt(given.trim());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX) {
                throw ApiException.badRequest("limit=" + given + " is not a number of units from 1 to " + MAX);
            }
        }
        final String after = query.get("after");
        return new Page(limit, after == null || after.isEmpty() ? null : after);
    }

    boolean admits(final String key) {
        return after == null || key.compareTo(after) > 0;
    }
}
