package io.monitml.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subjects, versions and schemas of the embedded registry. Ids are global: one canonical schema has
 * one id whatever the subject. With a storage file, each new version is appended as one JSON line
 * and forced to disk before the answer, so ids survive a restart. Thread-safe (one lock: the
 * registry is tiny and writes are rare).
 */
final class SchemaStore implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(SchemaStore.class);

    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<Integer, String> schemasById = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new TreeMap<>();
    private final FileChannel storage;
    private int nextId = 1;

    /** One version of a subject: the JSON answer of {@code /subjects/{s}/versions/{n}}. */
    record Version(String subject, int version, int id, String schema) {
    }

    private SchemaStore(final FileChannel storage) {
        this.storage = storage;
    }

    static SchemaStore inMemory() {
        return new SchemaStore(null);
    }

    static SchemaStore open(final Path file) throws IOException {
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        final FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            final SchemaStore store = new SchemaStore(channel);
            store.load(file);
            return store;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private void load(final Path file) throws IOException {
        final byte[] content = Files.readAllBytes(file);
        int end = content.length;
        while (end > 0 && content[end - 1] != '\n') {
            end--;
        }
        if (end < content.length) {
            // A crash mid-append leaves a partial last line; it was never acknowledged, so drop it.
            LOG.warn("Dropping {} bytes of an incomplete last line of {}", content.length - end, file);
            storage.truncate(end);
        }
        storage.position(end);
        final String[] lines = new String(content, 0, end, StandardCharsets.UTF_8).split("\n");
        int lineNumber = 0;
        for (final String line : lines) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            final JsonNode entry = JSON.readTree(line);
            final String subject = entry.path("subject").asText(null);
            final int id = entry.path("id").asInt(-1);
            final String schema = entry.path("schema").asText(null);
            if (subject == null || id < 1 || schema == null) {
                throw new IOException(file + " line " + lineNumber + " is not a registration: " + line);
            }
            remember(subject, id, schema);
        }
        LOG.info("Loaded {} schemas and {} subjects from {}", schemasById.size(), versionsBySubject.size(), file);
    }

    /** Registers a canonical schema under a subject; returns its id, existing or new. */
    synchronized int register(final String subject, final String canonicalSchema) {
        final List<Integer> versions = versionsBySubject.get(subject);
        final Integer existing = idsBySchema.get(canonicalSchema);
        if (existing != null && versions != null && versions.contains(existing)) {
            return existing;
        }
        final int id = existing != null ? existing : nextId;
        append(subject, versions == null ? 1 : versions.size() + 1, id, canonicalSchema);
        remember(subject, id, canonicalSchema);
        return id;
    }

    synchronized String schemaById(final int id) {
        return schemasById.get(id);
    }

    synchronized List<String> subjects() {
        return List.copyOf(versionsBySubject.keySet());
    }

    synchronized List<Integer> versions(final String subject) {
        final List<Integer> ids = idsOf(subject);
        final List<Integer> numbers = new ArrayList<>(ids.size());
        for (int i = 1; i <= ids.size(); i++) {
            numbers.add(i);
        }
        return numbers;
    }

    synchronized Version latest(final String subject) {
        final List<Integer> ids = idsOf(subject);
        return version(subject, ids.size(), ids);
    }

    synchronized Version version(final String subject, final int number) {
        final List<Integer> ids = idsOf(subject);
        if (number < 1 || number > ids.size()) {
            throw RegistryError.versionNotFound(subject, Integer.toString(number));
        }
        return version(subject, number, ids);
    }

    synchronized Version lookup(final String subject, final String canonicalSchema) {
        final List<Integer> ids = idsOf(subject);
        final Integer id = idsBySchema.get(canonicalSchema);
        final int index = id == null ? -1 : ids.indexOf(id);
        if (index < 0) {
            throw RegistryError.schemaNotFound("Schema not found under subject '" + subject + "'.");
        }
        return version(subject, index + 1, ids);
    }

    private Version version(final String subject, final int number, final List<Integer> ids) {
        final int id = ids.get(number - 1);
        return new Version(subject, number, id, schemasById.get(id));
    }

    private List<Integer> idsOf(final String subject) {
        final List<Integer> ids = versionsBySubject.get(subject);
        if (ids == null) {
            throw RegistryError.subjectNotFound(subject);
        }
        return ids;
    }

    private void remember(final String subject, final int id, final String schema) {
        idsBySchema.putIfAbsent(schema, id);
        schemasById.putIfAbsent(id, schema);
        versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
        nextId = Math.max(nextId, id + 1);
    }

    private void append(final String subject, final int version, final int id, final String schema) {
        if (storage == null) {
            return;
        }
        final ObjectNode line = JSON.createObjectNode();
        line.put("subject", subject).put("version", version).put("id", id).put("schema", schema);
        final ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        long start = -1;
        try {
            start = storage.position();
            while (bytes.hasRemaining()) {
                storage.write(bytes);
            }
            storage.force(false);
        } catch (IOException e) {
            undoPartialAppend(start);
            throw new UncheckedIOException("cannot append to the schema registry storage", e);
        }
    }

    /** A half-written line would glue itself to the next registration and corrupt both. */
    private void undoPartialAppend(final long start) {
        if (start < 0) {
            return;
        }
        try {
            storage.truncate(start);
            storage.position(start);
        } catch (IOException e) {
            LOG.warn("Cannot undo a failed append to the schema registry storage", e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (storage != null) {
            storage.close();
        }
    }
}
