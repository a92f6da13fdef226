namespace Interactions.Resilience.Tests.RateLimiting.Simulation;

/// <summary>What a simulated run did, as a user would measure it.</summary>
internal sealed record SimulationResult(
    int Sends,
    int Completed,
    int Failed,
    int Requests,
    int Limits,
    TimeSpan End,
    TimeSpan LongestWaitNotLimited,
    bool EverPaced,
    bool EverPaused,
    IReadOnlyList<(TimeSpan At, bool Accepted)> Answers,
    IReadOnlyList<(TimeSpan At, double Rate, TimeSpan Pause)> Samples)
{
    /// <summary>Per quarter second: accepted, limited, and the controller's pace and pause then.</summary>
    public string Timeline()
    {
        var lines = new System.Text.StringBuilder();
        foreach (var sample in Samples)
        {
            var from = sample.At - TimeSpan.FromMilliseconds(250);
            lines.Append(System.Globalization.CultureInfo.InvariantCulture, $"{sample.At.TotalSeconds,6:F2} s: {AcceptedWithin(from, TimeSpan.FromMilliseconds(250)),4} ok {LimitsWithin(from, TimeSpan.FromMilliseconds(250)),4} limited, pace {sample.Rate,8:F1}/s, pause {sample.Pause.TotalMilliseconds,5:F0} ms").AppendLine();
        }

        return lines.ToString();
    }

    /// <summary>Limits answered within the first <paramref name="window"/> after the first request.</summary>
    public int LimitsWithin(TimeSpan from, TimeSpan window) => Answers.Count(a => !a.Accepted && a.At >= from && a.At < from + window);

    /// <summary>Accepted requests in the second that starts at <paramref name="from"/>.</summary>
    public int AcceptedWithin(TimeSpan from, TimeSpan window) => Answers.Count(a => a.Accepted && a.At >= from && a.At < from + window);

    /// <summary>The first moment at or after <paramref name="from"/> at which the last second held at least <paramref name="accepted"/> acceptances.</summary>
    public TimeSpan? FirstSecondWith(int accepted, TimeSpan from)
    {
        var times = Answers.Where(a => a.Accepted).Select(a => a.At).ToList();
        for (var i = accepted - 1; i < times.Count; i++)
        {
            if (times[i] >= from && times[i] - times[i - accepted + 1] < TimeSpan.FromSeconds(1))
            {
                return times[i];
            }
        }

        return null;
    }

    public override string ToString()
        => $"completed {Completed}/{Sends}, failed {Failed}, requests {Requests}, limits {Limits}, end {End.TotalSeconds:F2} s, longest wait of a send not limited {LongestWaitNotLimited.TotalMilliseconds:F0} ms, paced {EverPaced}, paused {EverPaused}";
}
