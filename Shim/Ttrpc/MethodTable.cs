using Google.Protobuf;

namespace Runcs.Shim.Ttrpc;

/// <summary>A method's body: the request's payload in, the response message out.</summary>
public delegate Task<IMessage> MethodHandler(ByteString payload, CancellationToken cancel);

/// <summary>
/// What a ttrpc server answers: handlers by service and method name, the way
/// ttrpc routes ("containerd.task.v2.Task", "Create"). Typed registration
/// parses the request, so a payload that is not the expected message is an
/// InvalidArgument error rather than a crash.
/// </summary>
public sealed class MethodTable
{
    private readonly Dictionary<(string Service, string Method), MethodHandler> handlers = [];

    public void Add<TRequest>(string service, string method, MessageParser<TRequest> parser, Func<TRequest, CancellationToken, Task<IMessage>> body)
        where TRequest : IMessage<TRequest> =>
        handlers[(service, method)] = (payload, cancel) => body(Parse(parser, payload), cancel);

    /// <summary>A method that answers without waiting; it runs on a pool thread like every call.</summary>
    public void Add<TRequest>(string service, string method, MessageParser<TRequest> parser, Func<TRequest, IMessage> body)
        where TRequest : IMessage<TRequest> =>
        handlers[(service, method)] = (payload, _) => Task.FromResult(body(Parse(parser, payload)));

    /// <summary>Told of every call routed (the shim logs them at debug level).</summary>
    public Action<string>? Trace { get; set; }

    public MethodHandler? Find(string service, string method)
    {
        Trace?.Invoke($"ttrpc call {service}/{method}");
        return handlers.GetValueOrDefault((service, method));
    }

    private static TRequest Parse<TRequest>(MessageParser<TRequest> parser, ByteString payload)
        where TRequest : IMessage<TRequest>
    {
        try
        {
            return parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw TtrpcException.InvalidArgument($"cannot parse {typeof(TRequest).Name}: {e.Message}");
        }
    }
}
