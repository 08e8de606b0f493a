using System.Threading.Channels;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Runcs.Shim.Api;
using Runcs.Shim.Logging;
using Runcs.Shim.Ttrpc;

namespace Runcs.Shim.Events;

/// <summary>
/// Sends task events to containerd (Events.Forward on its ttrpc socket,
/// TTRPC_ADDRESS) one at a time, in the order they were published, from a
/// loop that holds no thread while there is nothing to send: exits
/// must not overtake the start they follow. The envelope is stamped when the
/// event happens, not when it is sent. A failed send reconnects and retries a
/// few times (containerd may be restarting), then the event is dropped with
/// a log line, as the runc shim does.
/// </summary>
public sealed class EventPublisher : IEventSink
{
    private const string Service = "containerd.services.events.ttrpc.v1.Events";
    private const int Attempts = 5;

    /// <summary>containerd's events proto package: type URLs are "containerd.events.TaskExit", ...</summary>
    private const string EventPackage = "containerd.events.";

    private readonly Channel<Envelope> queue = Channel.CreateUnbounded<Envelope>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string address;
    private readonly string ns;
    private TtrpcClient? client;
    private int inFlight;

    public EventPublisher(string address, string ns)
    {
        this.address = address;
        this.ns = ns;
        _ = Task.Run(Run);
    }

    public void Publish(string topic, IMessage message)
    {
        Interlocked.Increment(ref inFlight);
        queue.Writer.TryWrite(new Envelope
        {
            Timestamp = Timestamp.FromDateTime(DateTime.UtcNow),
            Namespace = ns,
            Topic = topic,
            // Named without message.Descriptor: building protobuf's reflection descriptors costs a shim
            // memory it keeps for life. Our event classes carry containerd's message names.
            Event = new Any { TypeUrl = EventPackage + message.GetType().Name, Value = message.ToByteString() },
        });
    }

    /// <summary>Waits until everything published so far was sent (or given up on), at most timeout.</summary>
    public bool Drain(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Volatile.Read(ref inFlight) > 0)
        {
            if (DateTime.UtcNow > deadline)
                return false;
            Thread.Sleep(10);
        }
        return true;
    }

    private async Task Run()
    {
        await foreach (var envelope in queue.Reader.ReadAllAsync())
        {
            await Send(envelope);
            Interlocked.Decrement(ref inFlight);
        }
    }

    private async Task Send(Envelope envelope)
    {
        for (int attempt = 1; attempt <= Attempts; attempt++)
        {
            try
            {
                client ??= TtrpcClient.Connect(address, TimeSpan.FromSeconds(10));
                client.Call(Service, "Forward", new ForwardRequest { Envelope = envelope });
                return;
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or TtrpcException or InvalidProtocolBufferException)
            {
                client?.Dispose();
                client = null;
                if (attempt == Attempts)
                    ShimLog.Warn($"publish {envelope.Topic} to {address}: {e.Message}; event dropped");
                else
                    await Task.Delay(50 * attempt * attempt);
            }
        }
    }
}

/// <summary>Where the task service sends its events; tests substitute a recorder.</summary>
public interface IEventSink
{
    void Publish(string topic, IMessage message);
}
