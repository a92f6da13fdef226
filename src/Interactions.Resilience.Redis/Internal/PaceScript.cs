using StackExchange.Redis;

namespace Interactions.Resilience.Redis.Internal;

/// <summary>
/// The shared pace's one Lua script: both operations, on Redis's clock (<c>TIME</c>), in one round trip, on a
/// hash {rate, rmax, decreasedAt, tokens, refilledAt} (rates in requests per second, times in ms of Redis's
/// clock). Everything read is validated and bounded; a broken or foreign value is deleted (status 2) and the
/// caller falls back, or starts over from its own rate.
/// </summary>
/// <remarks>
/// Reserve (op 1): the rate at now follows CUBIC from the last decrease, R(t) = rmax·(1 + growth·(t − K)³),
/// K = ∛((1 − beta) / growth), within [minRate, maxRate]; the bucket refills at it up to burst, one token is
/// taken (tokens may go negative: slots queued for the fleet), and the delay until that slot is returned in
/// microseconds. No state: status 1, the caller uses its local controller.
/// Quota spent (op 2): unless a decrease happened within the window (the same burst of limits, seen by
/// several instances), rmax = the rate in force (the caller's local rate when there is no state), rate =
/// beta·rmax, decreasedAt = now, and no token saved up survives. Every write renews the idle expiry.
/// Returns { status (0 ok, 1 no state, 2 reset), value (op 1: delay in µs; op 2: 1 when decreased) }.
/// </remarks>
internal static class PaceScript
{
    public const int Reserve = 1;
    public const int QuotaSpent = 2;

    public const long Ok = 0;
    public const long NoState = 1;
    public const long Reset = 2;

    public static readonly LuaScript Script = LuaScript.Prepare(
        """
        local key = @key
        local op = tonumber(@op)
        local beta = tonumber(@beta)
        local growth = tonumber(@growth)
        local minRate = tonumber(@minRate)
        local maxRate = tonumber(@maxRate)
        local burst = tonumber(@burst)
        local windowMs = tonumber(@windowMs)
        local idleMs = tonumber(@idleMs)
        local localRate = tonumber(@localRate)

        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000

        local function finite(x) return x ~= nil and x == x and x ~= math.huge and x ~= -math.huge end
        local function fmt(x) return string.format('%.17g', x) end
        local function clamp(x)
          if x < minRate then return minRate elseif x > maxRate then return maxRate end
          return x
        end
        local function cubic(rmax, decreasedAt)
          local s = (now - decreasedAt) / 1000 - ((1 - beta) / growth) ^ (1 / 3)
          return clamp(rmax * (1 + growth * s * s * s))
        end

        local status = 0
        local rate, rmax, decreasedAt, tokens, refilledAt
        local raw = redis.pcall('HMGET', key, 'rate', 'rmax', 'decreasedAt', 'tokens', 'refilledAt')
        if type(raw) ~= 'table' or raw.err then
          redis.call('DEL', key)
          status = 2
        elseif not (raw[1] or raw[2] or raw[3] or raw[4] or raw[5]) then
          status = 1
        else
          rate, rmax, decreasedAt, tokens, refilledAt = tonumber(raw[1]), tonumber(raw[2]), tonumber(raw[3]), tonumber(raw[4]), tonumber(raw[5])
          local deepest = -(maxRate * idleMs / 1000 + burst)
          if not (finite(rate) and finite(rmax) and finite(decreasedAt) and finite(tokens) and finite(refilledAt)
                  and rate >= minRate * 0.999999 and rate <= maxRate and rmax > 0 and rmax <= maxRate
                  and decreasedAt >= 0 and decreasedAt <= now + 1000 and refilledAt >= 0 and refilledAt <= now + 1000
                  and tokens >= deepest and tokens <= burst) then
            redis.call('DEL', key)
            status = 2
          end
        end

        if op == 1 then
          if status ~= 0 then return { status, 0 } end
          rate = cubic(rmax, decreasedAt)
          tokens = math.min(burst, tokens + math.max(0, now - refilledAt) / 1000 * rate) - 1
          redis.call('HSET', key, 'rate', fmt(rate), 'tokens', fmt(tokens), 'refilledAt', fmt(now))
          redis.call('PEXPIRE', key, idleMs)
          local delay = 0
          if tokens < 0 then delay = math.floor(-tokens / rate * 1000000 + 0.5) end
          return { 0, delay }
        end

        if status == 0 and now - decreasedAt < windowMs then
          redis.call('PEXPIRE', key, idleMs)
          return { 0, 0 }
        end

        local inForce
        if status == 0 then
          inForce = cubic(rmax, decreasedAt)
          tokens = math.min(0, tokens + math.max(0, now - refilledAt) / 1000 * inForce)
        else
          inForce = clamp(localRate)
          tokens = 0
        end

        redis.call('HSET', key, 'rate', fmt(clamp(beta * inForce)), 'rmax', fmt(inForce), 'decreasedAt', fmt(now), 'tokens', fmt(tokens), 'refilledAt', fmt(now))
        redis.call('PEXPIRE', key, idleMs)
        return { status, 1 }
        """);
}
