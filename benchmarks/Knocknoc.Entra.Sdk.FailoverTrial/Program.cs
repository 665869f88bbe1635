using Knocknoc.Entra.Sdk.FailoverTrial;

// FailoverTrial [ROUNDS]: the coordinator (an emulated Entra on loopback HTTPS, three agent processes, kill -9 of
// the writer each round). FailoverTrial agent NAME: one agent process, started by the coordinator.
return args is ["agent", var name]
    ? await TrialAgent.RunAsync(name)
    : await TrialCoordinator.RunAsync(args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 20);
