namespace Interactions.Resilience.Options.Internal;

/// <summary>Every default of <see cref="InteractionsResilienceOptions"/>, in one place.</summary>
internal static class InteractionsResilienceDefaults
{
    public const int RetryMaxRetryAttempts = 3;
    public static readonly TimeSpan RetryBaseDelay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan RetryMaxDelay = TimeSpan.FromSeconds(30);
    public const bool RetryUseJitter = true;

    public const int RateLimitMaxRetryAttempts = 5;
    public static readonly TimeSpan RateLimitDefaultDelay = TimeSpan.FromSeconds(1);

    public const bool IdempotencyGenerateKeys = true;
    public const string IdempotencyHeaderName = InteractionsHeaderNames.IdempotencyKey;

    public const bool RetryBudgetEnabled = true;
    public const double RetryBudgetRatio = 0.2;
    public const int RetryBudgetMinPerSecond = 10;
    public static readonly TimeSpan RetryBudgetWindow = TimeSpan.FromSeconds(10);

    public const bool BreakerEnabled = true;
    public const bool BreakerPerAuthority = false;
    public const double BreakerFailureRatio = 0.5;
    public const int BreakerMinimumThroughput = 20;
    public static readonly TimeSpan BreakerSamplingDuration = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan BreakerBreakDuration = TimeSpan.FromSeconds(5);

    public const int RateLimitQueueLimit = 1000;

    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan PinCooldown = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan RegistrationCooldown = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan HaltDuration = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan TotalTimeout = TimeSpan.FromMinutes(2);
    public const bool ThrowOnFailure = true;
    public const int MaxErrorBodyBytes = InteractionsErrorClassifier.DefaultMaxBodyBytes;
    public const bool RecognizeMetaErrors = true;

    // Bounds the validator enforces.
    public const int MaxRetryAttemptsLimit = 100;
    public static readonly TimeSpan MaxDelayLimit = TimeSpan.FromDays(1);
    public const int MaxErrorBodyBytesLimit = 16 * 1024 * 1024;
    public static readonly TimeSpan MaxWindow = TimeSpan.FromSeconds(30); // what HealthWindow keeps
    public static readonly TimeSpan MinAttemptTimeout = TimeSpan.FromMilliseconds(10); // Polly's timeout floor
}
