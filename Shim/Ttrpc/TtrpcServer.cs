using System.Net.Sockets;

namespace Runcs.Shim.Ttrpc;

/// <summary>
/// Accepts connections on a listening unix socket and serves each on its own
/// thread. containerd keeps one connection per shim and reconnects after a
/// restart; tests open more.
/// </summary>
public sealed class TtrpcServer(Socket listener, MethodTable methods, Action<string> log, Action? callFinished = null)
{
    private readonly List<TtrpcConnection> connections = [];
    private volatile bool stopping;

    /// <summary>Accepts until Stop; returns then.</summary>
    public void Serve()
    {
        while (!stopping)
        {
            Socket client;
            try
            {
                client = listener.Accept();
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.Interrupted)
            {
                continue;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (!stopping)
                    log($"ttrpc accept: {e.Message}");
                return;
            }
            var connection = new TtrpcConnection(new FrameChannel(client), methods, log, callFinished);
            lock (connections)
                connections.Add(connection);
            new Thread(connection.Serve) { IsBackground = true, Name = "ttrpc connection" }.Start();
        }
    }

    /// <summary>Waits until no call is in progress on any connection (answers sent), at most timeout.</summary>
    public bool WaitForCalls(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            int pending;
            lock (connections)
                pending = connections.Sum(c => c.Pending);
            if (pending == 0)
                return true;
            if (DateTime.UtcNow > deadline)
                return false;
            Thread.Sleep(5);
        }
    }

    /// <summary>
    /// Stops accepting; connections already open end with their peers.
    /// shutdown(2) wakes the thread blocked in accept(); disposing the socket
    /// under it instead can wait for that accept to return, which it never does.
    /// </summary>
    public void Stop()
    {
        stopping = true;
        Tmds.Linux.LibC.shutdown((int)listener.Handle, Tmds.Linux.LibC.SHUT_RDWR);
    }
}
