using System.Net;
using System.Net.Sockets;

namespace ModelGoPack.Tests.Support;

/// <summary>A TCP port on 127.0.0.1 that nothing listens on (asked of the system, then released).</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
