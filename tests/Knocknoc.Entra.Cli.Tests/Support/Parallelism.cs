// The tests mostly wait: on the tool's start-up, on the 1 request/s it keeps to per tenant, on the emulator's
// consistency windows. Run one after another they took more than five minutes; several at a time they share the time
// they spend waiting. Each test starts its own emulator (its own port, tenant and temporary directory, the tool's
// state directory in it) and passes settings to the tool through the child's environment only, so tests share no
// files, ports or variables. Fixtures that hold per-test state in fields run their own tests one at a time (the
// default below); the fixtures of process-only tests also let their tests run alongside each other
// ([Parallelizable(ParallelScope.All)]). What must run alone says why where it is marked [NonParallelizable].
[assembly: Parallelizable(ParallelScope.Fixtures)]

// More workers than the two cores: a worker waits on a child process, rarely on the CPU.
[assembly: LevelOfParallelism(6)]
