namespace Interactions.Resilience.Demo;

/// <summary>
/// The app's own logic on top of <see cref="MessagesClient"/>: it catches the typed exceptions by category
/// and code, and decides what to do. By the time an exception arrives, the handler has already retried or
/// waited as far as the code's policy allows, so none of these branches retries on the spot.
/// </summary>
internal sealed class Notifications(MessagesClient messages)
{
    public Task<AppOutcome> SendAsync(string to, string text, CancellationToken cancellationToken = default)
        => HandleAsync(async () => $"sent {await messages.SendAsync(to, text, cancellationToken)}");

    public Task<AppOutcome> VerifyPinAsync(string pin, CancellationToken cancellationToken = default)
        => HandleAsync(async () =>
        {
            await messages.VerifyPinAsync(pin, cancellationToken);
            return "PIN verified";
        });

    private static async Task<AppOutcome> HandleAsync(Func<Task<string>> call)
    {
        try
        {
            return AppOutcome.Success(await call());
        }
        catch (InteractionsTemplateException ex) when (ex.Code == InteractionsErrorCode.TemplateIsPaused)
        {
            return AppOutcome.Failure(ex, "Alert the template's owner to re-activate it; hold these messages until then.");
        }
        catch (InteractionsTemplateException ex)
        {
            return AppOutcome.Failure(ex, $"Fix the template ({ex.Title}); the same request cannot succeed as it is.");
        }
        catch (InteractionsRateLimitException ex)
        {
            return AppOutcome.Failure(ex, $"Still rate-limited after the shared waits: keep the message queued, retry in {Describe(ex.RetryAfter)}.");
        }
        catch (InteractionsGeneralException ex) when (ex.Attempts == 0)
        {
            return AppOutcome.Failure(ex, $"The client is halted for {Describe(ex.RetryAfter)}: nothing was sent; queue the message.");
        }
        catch (InteractionsGeneralException ex) when (ex.Code is InteractionsErrorCode.TemporarilyBlocked or InteractionsErrorCode.AccountLocked or InteractionsErrorCode.AccountInactive)
        {
            return AppOutcome.Failure(ex, "The account is blocked: page the on-call and contact the vendor's support.");
        }
        catch (InteractionsAuthenticationException ex) when (ex.Code == InteractionsErrorCode.TwoStepPinGuessedTooFast)
        {
            return AppOutcome.Failure(ex, $"Ask the user to wait {Describe(ex.RetryAfter)} before the next PIN.");
        }
        catch (InteractionsServerException ex) when (ex.RetryAfter is not null)
        {
            return AppOutcome.Failure(ex, $"The server asked for {Describe(ex.RetryAfter)}: schedule the send for then instead of blocking the user.");
        }
        catch (InteractionsServerException ex)
        {
            return AppOutcome.Failure(ex, $"Still failing after {ex.Attempts} attempts: keep the message queued and try again later.");
        }
        catch (InteractionsException ex)
        {
            return AppOutcome.Failure(ex, $"Log {ex.FormattedCode} {ex.Title} and show the user a generic error.");
        }
    }

    private static string Describe(TimeSpan? wait) => wait is { } w ? Format.Duration(w) : "a while";
}
