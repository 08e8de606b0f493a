namespace Runcs.Shim.Ttrpc;

/// <summary>The gRPC status codes ttrpc carries in google.rpc.Status; containerd maps them to its errdefs.</summary>
public enum StatusCode
{
    Ok = 0,
    Canceled = 1,
    Unknown = 2,
    InvalidArgument = 3,
    DeadlineExceeded = 4,
    NotFound = 5,
    AlreadyExists = 6,
    PermissionDenied = 7,
    ResourceExhausted = 8,
    FailedPrecondition = 9,
    Aborted = 10,
    OutOfRange = 11,
    Unimplemented = 12,
    Internal = 13,
    Unavailable = 14,
    DataLoss = 15,
    Unauthenticated = 16,
}

/// <summary>A call's failure with the status code the caller sees (containerd turns NotFound into errdefs.ErrNotFound, ...).</summary>
public sealed class TtrpcException(StatusCode code, string message) : Exception(message)
{
    public StatusCode Code { get; } = code;

    public static TtrpcException NotFound(string what) => new(StatusCode.NotFound, what);

    public static TtrpcException FailedPrecondition(string why) => new(StatusCode.FailedPrecondition, why);

    public static TtrpcException InvalidArgument(string why) => new(StatusCode.InvalidArgument, why);

    public override string ToString() => $"{Code}: {Message}";
}
