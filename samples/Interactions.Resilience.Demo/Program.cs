using Interactions.Resilience.Demo;
using Interactions.Resilience.Demo.Commands;

return args switch
{
    [] or ["list"] => ListCommand.Execute(),
    ["explain", var code] => ExplainCommand.Execute(code),
    ["explain", ..] => Cli.UsageError("explain takes one code, for example: explain 031002"),
    _ => Cli.UsageError($"unknown command '{string.Join(' ', args)}'."),
};
