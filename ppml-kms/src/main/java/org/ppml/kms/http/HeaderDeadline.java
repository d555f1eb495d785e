package org.ppml.kms.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A deadline on request heads, which Jetty does not have: its idle timeout restarts with every
 * byte, so a client trickling one header byte at a time holds a connection (and its memory)
 * forever, and a few hundred such clients starve everyone else.
 *
 * <p>Installed as a {@link Connection.Listener} bean on the connector (Jetty then tells it of every
 * connection) and as the outermost handler (which tells it when a request head is complete and when
 * its response is done). Every {@code deadline} a connection with no request in progress is looked
 * at: if bytes arrived since the last look (the TLS handshake or a request head started) and still
 * no request has begun at the next look, the head has been incomplete for at least one deadline and
 * the connection is closed. So a trickling client is closed between one and two deadlines after its
 * first byte, while a client that sends a whole head within one deadline, or stays silent (left to
 * the idle timeout), or uploads a body slowly, is never cut off.
 */
final class HeaderDeadline extends Handler.Wrapper implements Connection.Listener {
  private final Scheduler scheduler;
  private final long deadlineMillis;
  private final Map<Connection, Watch> watches = new ConcurrentHashMap<>();

  HeaderDeadline(Handler handler, Scheduler scheduler, Duration deadline) {
    super(handler);
    this.scheduler = scheduler;
    this.deadlineMillis = deadline.toMillis();
  }

  @Override
  public void onOpened(Connection connection) {
    // Jetty opens a TLS connection and the HTTP connection over it; the HTTP one is watched, and
    // reads its bytes from the TLS one below, so a trickled handshake counts too.
    if (connection instanceof SslConnection) {
      return;
    }
    Watch w = new Watch(connection);
    watches.put(connection, w);
    w.start();
  }

  @Override
  public void onClosed(Connection connection) {
    Watch w = watches.remove(connection);
    if (w != null) {
      w.stop();
    }
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Watch w = watches.get(request.getConnectionMetaData().getConnection());
    if (w == null) {
      return super.handle(request, response, callback);
    }
    w.begin();
    Callback done =
        new Callback.Nested(callback) {
          @Override
          public void completed() {
            w.end();
          }
        };
    boolean handled = false;
    try {
      handled = super.handle(request, response, done);
      return handled;
    } finally {
      if (!handled) {
        // Not ours to complete: Jetty answers with the callback it holds.
        w.end();
      }
    }
  }

  /** The deadline state of one connection. */
  private final class Watch implements Runnable {
    private final Connection connection;
    private int active;
    private long requests;
    private long markRequests;
    private long markBytes;
    private boolean pending;
    private boolean stopped;
    private Scheduler.Task task;

    Watch(Connection connection) {
      this.connection = connection;
    }

    synchronized void begin() {
      active++;
      requests++;
    }

    synchronized void end() {
      active--;
    }

    void start() {
      synchronized (this) {
        mark(bytesIn());
      }
      schedule();
    }

    synchronized void stop() {
      stopped = true;
      if (task != null) {
        task.cancel();
      }
    }

    private synchronized void schedule() {
      if (!stopped) {
        task = scheduler.schedule(this, deadlineMillis, TimeUnit.MILLISECONDS);
      }
    }

    private void mark(long bytes) {
      markBytes = bytes;
      markRequests = requests;
      pending = false;
    }

    @Override
    public void run() {
      boolean close;
      synchronized (this) {
        if (stopped) {
          return;
        }
        long bytes = bytesIn();
        if (active > 0 || requests != markRequests) {
          mark(bytes);
          close = false;
        } else if (pending) {
          close = true;
        } else {
          pending = bytes != markBytes;
          close = false;
        }
      }
      if (close) {
        connection.close();
      } else {
        schedule();
      }
    }

    private long bytesIn() {
      if (connection.getEndPoint() instanceof SslConnection.SslEndPoint tls) {
        return tls.getSslConnection().getBytesIn();
      }
      return connection.getBytesIn();
    }
  }
}
