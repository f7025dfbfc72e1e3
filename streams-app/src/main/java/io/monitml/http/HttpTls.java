package io.monitml.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** The HTTP port's TLS: a key and certificate chain from a PKCS12 keystore. */
public final class HttpTls {

    private static final String OPTIONS = "--http-tls-keystore (MONITML_HTTP_TLS_KEYSTORE)";
    private static final String PASSWORD_OPTIONS =
        "--http-tls-keystore-password-file (MONITML_HTTP_TLS_KEYSTORE_PASSWORD_FILE) or MONITML_HTTP_TLS_KEYSTORE_PASSWORD";

    private HttpTls() {
    }

    /**
     * Reads the keystore now, so that a missing file or a wrong password stop start-up with a
     * message naming the option instead of failing the first handshake.
     *
     * @param password null: none
     */
    public static SSLContext context(final Path keystore, final String password) {
        final char[] secret = password == null ? new char[0] : password.toCharArray();
        final KeyStore store;
        try (InputStream in = Files.newInputStream(keystore)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, secret);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("The TLS keystore " + keystore + " given by " + OPTIONS + " does not exist", e);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new IllegalArgumentException("Cannot open the TLS keystore " + keystore + " given by " + OPTIONS
                    + ": wrong password (set it with " + PASSWORD_OPTIONS + ")", e);
            }
            throw new IllegalArgumentException("Cannot read the TLS keystore " + keystore + " given by " + OPTIONS
                + " as PKCS12: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot read the TLS keystore " + keystore + " given by " + OPTIONS
                + " as PKCS12: " + e.getMessage(), e);
        }
        try {
            if (!hasKey(store)) {
                throw new IllegalArgumentException("The TLS keystore " + keystore + " given by " + OPTIONS
                    + " holds no private key; create one with keytool -genkeypair or openssl pkcs12 -export");
            }
            final KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, secret);
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (UnrecoverableKeyException e) {
            throw new IllegalArgumentException("Cannot use the key in the TLS keystore " + keystore + " given by " + OPTIONS
                + ": its password differs from the keystore's (" + PASSWORD_OPTIONS + ")", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot use the TLS keystore " + keystore + " given by " + OPTIONS + ": "
                + e.getMessage(), e);
        }
    }

    private static boolean hasKey(final KeyStore store) throws GeneralSecurityException {
        for (String alias : java.util.Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                return true;
            }
        }
        return false;
    }
}
