namespace XapiSim.Model.Methods;

/// <summary>Runs one message. Returns the result in the wire representation (<see cref="Rpc.RpcVoid.Instance"/> for void).</summary>
internal delegate ValueTask<object> MethodHandler(MethodCall call, CancellationToken cancellationToken);
