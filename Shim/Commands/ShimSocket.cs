using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Runcs.Runtime.Native;
using Tmds.Linux;

namespace Runcs.Shim.Commands;

/// <summary>
/// Where a shim listens: a unix socket under /run/containerd/s named by a
/// hash of containerd's address, the namespace and the grouping id, as
/// containerd's own shims name theirs. Containers of one pod share a
/// grouping id (the CRI sandbox annotation) and so one shim.
/// </summary>
public static class ShimSocket
{
    public const string Directory = "/run/containerd/s";

    /// <summary>Annotations that put a container in another container's shim (the runc shim's list).</summary>
    private static readonly string[] GroupLabels = ["io.containerd.runc.v2.group", "io.kubernetes.cri.sandbox-id"];

    public static string Address(string containerdAddress, string ns, string grouping)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{containerdAddress}/{ns}/{grouping}"));
        return "unix://" + Path.Combine(Directory, Convert.ToHexStringLower(hash));
    }

    /// <summary>The id whose shim serves this bundle's container: a group annotation, or the container's own id.</summary>
    public static string GroupingOf(string bundle, string id)
    {
        try
        {
            using var config = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(bundle, "config.json")));
            if (config.RootElement.TryGetProperty("annotations", out var annotations) && annotations.ValueKind == JsonValueKind.Object)
            {
                foreach (var label in GroupLabels)
                {
                    if (annotations.TryGetProperty(label, out var group) && group.GetString() is { Length: > 0 } value)
                        return value;
                }
            }
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            // No readable config: the container is its own group.
        }
        return id;
    }

    public static string PathOf(string address) => address.StartsWith("unix://", StringComparison.Ordinal) ? address[7..] : address;

    /// <summary>True when a shim answers on this address.</summary>
    public static bool Answers(string address)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(PathOf(address)));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// A listening socket's descriptor. Made with the raw calls, not .NET's
    /// Socket: disposing a .NET socket that bound a path unlinks the path, and
    /// `start` must close its copy while the daemon goes on listening there.
    /// </summary>
    public static unsafe int Listen(string address)
    {
        var path = PathOf(address);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = Encoding.UTF8.GetBytes(path);
        if (bytes.Length >= 108)
            throw new IOException($"socket path too long: {path}");
        int fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0)
            throw new IOException($"socket: {Syscalls.Describe(Syscalls.LastErrno)}");
        var sockaddr = new sockaddr_un { sun_family = (ushort)LibC.AF_UNIX };
        for (int i = 0; i < bytes.Length; i++)
            sockaddr.sun_path[i] = bytes[i];
        if (LibC.bind(fd, (sockaddr*)&sockaddr, sizeof(sockaddr_un)) < 0 || LibC.listen(fd, 64) < 0)
        {
            int errno = Syscalls.LastErrno;
            LibC.close(fd);
            if (errno == LibC.EADDRINUSE)
                throw new SocketException((int)SocketError.AddressAlreadyInUse);
            throw new IOException($"listen on {path}: {Syscalls.Describe(errno)}");
        }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return fd;
    }

    /// <summary>Removes a socket nobody answers on any more (a dead shim's).</summary>
    public static void RemoveIfDead(string address)
    {
        if (!Answers(address))
            File.Delete(PathOf(address));
    }
}
