using Interactions.Resilience.CircuitBreaker.Internal;
using Interactions.Resilience.Halt.Internal;
using Interactions.Resilience.Health.Internal;
using Interactions.Resilience.RateLimiting.Internal;

namespace Interactions.Resilience.Pipeline.Internal;

/// <summary>
/// What an attempt's outcome does to the whole client: a success feeds the health window, the circuit and the
/// gate's pace; a Halt code halts the client; a rate limit pauses its scope; a Retry code counts toward the
/// circuit; pauses are announced to other instances through the board.
/// </summary>
internal sealed class ClientEffects
{
    private readonly string _clientName;
    private readonly InteractionsResilienceOptions _options;
    private readonly PolicyTable _policies;
    private readonly HealthWindow _health;
    private readonly HaltState _halt;
    private readonly RateLimitGates _gates;
    private readonly InteractionsPauseBoard? _board;

    public ClientEffects(string clientName, InteractionsResilienceOptions options, PolicyTable policies, HealthWindow health, HaltState halt, RateLimitGates gates, InteractionsPauseBoard? board)
    {
        _clientName = clientName;
        _options = options;
        _policies = policies;
        _health = health;
        _halt = halt;
        _gates = gates;
        _board = board;
    }

    /// <summary>An attempt succeeded: the server accepted it.</summary>
    public void OnAccepted(in AdmissionTicket ticket, long acceptedAt)
    {
        OnUp(ticket.Circuit, _health.SecondOf(acceptedAt), HealthWindow.Kind.Success);
        ticket.Gate?.OnAccepted(ticket.SentAt, acceptedAt); // evidence that the quota is not spent
    }

    /// <summary>An attempt failed with <paramref name="error"/>, a response's or a transport failure's.</summary>
    public void OnFailure(InteractionsError error, string? scope, in AdmissionTicket ticket)
    {
        var circuit = ticket.Circuit;
        switch (_policies.For(error))
        {
            case InteractionsPolicy.Halt:
                _halt.Trip(error, _options.HaltDuration);
                _board?.OnLocalPause(_clientName, scope: null, error.Code, _options.HaltDuration);
                OnUp(circuit, _health.Now, HealthWindow.Kind.Answered);
                break;
            case InteractionsPolicy.WaitAndRetry:
                // A lone limit pauses nobody, here or elsewhere; a spent quota pauses the scope here, and other
                // instances are told of it (they pause that scope too, and pace by what they sent).
                if (_gates.OnRateLimited(scope, DecisionRules.RateLimitWaitOf(error, _options)) is { } pause)
                {
                    _board?.OnLocalPause(_clientName, scope, error.Code, pause);
                }

                OnUp(circuit, _health.Now, HealthWindow.Kind.Answered);
                return;
            case InteractionsPolicy.Cooldown when error.Code == InteractionsErrorCode.TwoStepPinGuessedTooFast && _board is not null:
                // Here only this request waits its cooldown; other instances pause the scope, so that they do
                // not guess during it and extend it.
                _board.OnLocalPause(_clientName, scope, error.Code, error.RetryAfter ?? _options.PinCooldown);
                OnUp(circuit, _health.Now, HealthWindow.Kind.Answered);
                break;
            case InteractionsPolicy.Retry:
                circuit?.OnFailure(error.RetryAfter);
                break;
            default:
                OnUp(circuit, _health.Now, HealthWindow.Kind.Answered);
                break;
        }

        ticket.Gate?.OnAnswered(); // an answer that is not a limit: evidence that the quota is not spent
    }

    /// <summary>
    /// Applies a pause another instance started, for the <paramref name="duration"/> it has left: a halt when
    /// the code's policy here is Halt (halts are client-wide), otherwise a pause of the scope's gate.
    /// </summary>
    public void ApplyRemotePause(InteractionsErrorCode code, string? scope, TimeSpan duration)
    {
        if (_policies.For(code) == InteractionsPolicy.Halt)
        {
            _halt.Trip(InteractionsError.Local(code), duration);
        }
        else
        {
            _gates.Pause(scope, duration);
        }
    }

    /// <summary>
    /// The server answered with something other than a Retry-code failure: it is up. Only a success counts
    /// toward the pace the rate-limit gate releases at; any answer closes a half-open circuit.
    /// </summary>
    private void OnUp(Circuit? circuit, long second, HealthWindow.Kind kind)
    {
        _health.Record(kind, second);
        circuit?.OnSuccess(second, kind, recordHealth: !circuit.SharesHealth(_health));
    }
}
