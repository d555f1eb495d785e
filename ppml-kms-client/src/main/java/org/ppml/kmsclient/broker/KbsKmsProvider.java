package org.ppml.kmsclient.broker;

import java.util.Set;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.kms.KmsCredentials;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.KmsProvider;

/**
 * Serves {@code kbs+https://host:port?tlsSha256=HEX[&...]} URIs (see {@link KbsKms}). The query
 * takes exactly the parameters of {@link BrokerUriOptions}; a KBS has no admin or writer tokens of
 * ours. The header reference is {@code kbs+https://host:port}, without the query.
 */
public final class KbsKmsProvider implements KmsProvider {
  @Override
  public String scheme() {
    return KbsKms.SCHEME;
  }

  @Override
  public Kms open(String uri, KmsCredentials credentials) throws KmsException {
    BrokerUriOptions options = BrokerUriOptions.parse(uri, KbsKms.SCHEME, Set.of());
    return new KbsKms(options.reference(), options.client());
  }
}
