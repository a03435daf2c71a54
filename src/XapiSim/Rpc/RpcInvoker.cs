namespace XapiSim.Rpc;

/// <summary>
/// Runs a call on the dispatcher and turns exceptions into XAPI error descriptions: <see cref="XenApiFailure"/> as it is,
/// anything else as <c>INTERNAL_ERROR [message]</c> (xapi's <c>dispatch_exn_wrapper</c>). Cancellation by the server propagates.
/// </summary>
internal static class RpcInvoker
{
    public static async ValueTask<RpcOutcome> InvokeAsync(IRpcDispatcher dispatcher, RpcCall call, RpcCallContext context, CancellationToken cancellationToken)
    {
        try
        {
            var value = await dispatcher.CallAsync(call.Method, call.Args, context, cancellationToken).ConfigureAwait(false);
            return RpcOutcome.Success(value ?? RpcVoid.Instance);
        }
        catch (XenApiFailure failure)
        {
            return RpcOutcome.Failure(failure.Description);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            return RpcOutcome.Failure(InternalError(e));
        }
    }

    public static IReadOnlyList<string> InternalError(Exception e) => ["INTERNAL_ERROR", e.GetType().Name + ": " + e.Message];

    /// <summary>Encodes with <paramref name="encode"/>; a value the codec cannot represent becomes an INTERNAL_ERROR failure.</summary>
    public static byte[] Encode(RpcOutcome outcome, Func<object, byte[]> encodeSuccess, Func<IReadOnlyList<string>, byte[]> encodeFailure)
    {
        if (!outcome.IsSuccess)
        {
            return encodeFailure(outcome.ErrorDescription!);
        }

        try
        {
            return encodeSuccess(outcome.Value!);
        }
        catch (NotSupportedException e)
        {
            return encodeFailure(InternalError(e));
        }
    }
}
