package dev.eimf.llm;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ServerSocketFactory;
import mockwebserver3.MockWebServer;

/**
 * Server sockets whose accepted connections send at once (TCP_NODELAY). MockWebServer writes a reply's head
 * and body separately; with Nagle's algorithm the body then waits for the client's delayed ACK, about 40 ms
 * per request on Linux, which makes tests with thousands of requests needlessly slow.
 */
final class NoDelayServerSockets extends ServerSocketFactory {

    /** The server, set to accept connections through these sockets (call before it starts). */
    static MockWebServer server() {
        MockWebServer s = new MockWebServer();
        s.setServerSocketFactory(new NoDelayServerSockets());
        return s;
    }

    private static final class NoDelay extends ServerSocket {
        NoDelay() throws IOException {
            super();
        }

        @Override
        public Socket accept() throws IOException {
            Socket s = super.accept();
            s.setTcpNoDelay(true);
            return s;
        }
    }

    @Override
    public ServerSocket createServerSocket() throws IOException {
        return new NoDelay();
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        return createServerSocket(port, 50, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return createServerSocket(port, backlog, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
        ServerSocket s = new NoDelay();
        s.bind(new InetSocketAddress(address, port), backlog);
        return s;
    }
}
