namespace Interactions.Resilience.Testing.Internal;

/// <summary>A scheduled change of a model's rate, <see cref="After"/> the model was put in force.</summary>
internal readonly record struct RateChange(TimeSpan After, int RequestsPerSecond);
