using Google.Protobuf;
using Runcs.Shim.Api;
using Runcs.Shim.Ttrpc;

namespace Runcs.Shim.Service;

public sealed partial class TaskService
{
    private IMessage Exec(ExecProcessRequest request)
    {
        Get(request.Id);
        throw new TtrpcException(StatusCode.Unimplemented, "exec is not supported by runcs yet");
    }

    private IMessage StartExec(ShimContainer container, ShimProcess process) =>
        throw new TtrpcException(StatusCode.Unimplemented, "exec is not supported by runcs yet");

    private IMessage DeleteExec(ShimContainer container, ShimProcess process) =>
        throw new TtrpcException(StatusCode.Unimplemented, "exec is not supported by runcs yet");
}
