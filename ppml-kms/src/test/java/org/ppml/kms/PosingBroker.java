package org.ppml.kms;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.ppml.kms.tls.TlsIdentity;
import org.ppml.kmsclient.broker.BrokerTls;

/**
 * An HTTPS server on loopback that poses as the broker and answers as {@code handler} says, with
 * its own pinned TLS identity: for testing how our clients treat a broken or hostile server.
 */
final class PosingBroker implements AutoCloseable {
  private final HttpsServer server;
  private final TlsIdentity identity;

  private PosingBroker(HttpsServer server, TlsIdentity identity) {
    this.server = server;
    this.identity = identity;
  }

  static PosingBroker start(Path tlsDir, HttpHandler handler) throws Exception {
    TlsIdentity identity = TlsIdentity.loadOrCreate(tlsDir, List.of("127.0.0.1"));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(identity.keyStore(), identity.keyStorePassword().toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext("/", handler);
    server.start();
    return new PosingBroker(server, identity);
  }

  URI url() {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
  }

  /** A client TLS context pinned to this server's certificate. */
  SSLContext clientTls() throws Exception {
    return BrokerTls.pinned(identity.sha256());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
