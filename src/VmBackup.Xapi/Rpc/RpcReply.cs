namespace VmBackup.Xapi.Rpc;

/// <summary>A decoded RPC reply: either a raw value (see <see cref="Values.XenValueConverter"/>) or a XAPI error.</summary>
internal sealed record RpcReply(object? Value, string? ErrorCode, IReadOnlyList<string> ErrorParameters)
{
    public bool IsSuccess => ErrorCode is null;

    public static RpcReply Success(object? value) => new(value, null, []);

    public static RpcReply Failure(string errorCode, IReadOnlyList<string> errorParameters) => new(null, errorCode, errorParameters);
}
