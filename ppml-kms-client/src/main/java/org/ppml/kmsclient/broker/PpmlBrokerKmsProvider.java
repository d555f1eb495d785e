package org.ppml.kmsclient.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import org.ppml.crypto.fs.BoundedFile;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.kms.KmsCredentials;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.KmsException.Reason;
import org.ppml.crypto.kms.KmsProvider;

/**
 * Serves {@code ppml+https://host:port?tlsSha256=HEX[&...]} URIs. The query takes the parameters of
 * {@link BrokerUriOptions} (TLS trust, evidence provider, dev mode, timeout), and also {@code
 * adminTokenFile} and {@code writerTokenFile}: files holding those tokens; the environment
 * variables {@value #ADMIN_TOKEN_ENV} and {@value #WRITER_TOKEN_ENV} are used otherwise. Without a
 * provider the backend cannot attest and serves only writer and admin use. The header reference is
 * {@code ppml+https://host:port}, without the query.
 */
public final class PpmlBrokerKmsProvider implements KmsProvider {
  /** Environment variable with an admin token. */
  public static final String ADMIN_TOKEN_ENV = "PPML_KMS_ADMIN_TOKEN";

  /** Environment variable with a writer token. */
  public static final String WRITER_TOKEN_ENV = "PPML_KMS_WRITER_TOKEN";

  private static final Set<String> PARAMETERS = Set.of("adminTokenFile", "writerTokenFile");
  private static final int MAX_TOKEN_FILE = 4096;

  @Override
  public String scheme() {
    return PpmlBrokerKms.SCHEME;
  }

  @Override
  public Kms open(String uri, KmsCredentials credentials) throws KmsException {
    BrokerUriOptions options = BrokerUriOptions.parse(uri, PpmlBrokerKms.SCHEME, PARAMETERS);
    String admin = secret(options.parameter("adminTokenFile"), ADMIN_TOKEN_ENV);
    String writer = secret(options.parameter("writerTokenFile"), WRITER_TOKEN_ENV);
    KeyBrokerClient client = options.client();
    return new PpmlBrokerKms(
        options.reference(),
        client,
        admin == null
            ? null
            : new KeyBrokerAdminClient(options.baseUrl(), options.tls(), admin, options.timeout()),
        writer);
  }

  private static String secret(String file, String env) throws KmsException {
    try {
      if (file != null) {
        // A token is under 100 bytes; the bound keeps a wrong path from filling the heap of
        // every executor that opens this KMS.
        return new String(BoundedFile.read(Path.of(file), MAX_TOKEN_FILE), StandardCharsets.UTF_8)
            .trim();
      }
    } catch (IOException e) {
      throw new KmsException(
          Reason.INVALID_ARGUMENT, "cannot read token file " + file + ": " + e.getMessage());
    }
    String v = System.getenv(env);
    return v == null || v.isBlank() ? null : v.trim();
  }
}
