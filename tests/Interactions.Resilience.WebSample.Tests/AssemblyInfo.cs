// OpenTelemetry listens to meters and activity sources by name, process-wide: a host running in parallel would
// add its measurements and spans to another test's exporter. One app at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
