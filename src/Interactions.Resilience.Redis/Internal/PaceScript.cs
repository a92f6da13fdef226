using StackExchange.Redis;

namespace Interactions.Resilience.Redis.Internal;

/// <summary>
/// The shared pace's one Lua script: both operations, on Redis's clock (<c>TIME</c>), in one round trip, on a
/// hash {rate, rmax, decreasedAt, tokens, refilledAt, seeded, limitsAt, limits} (rates in requests per second, times in ms of Redis's
/// clock). Everything read is validated and bounded; a broken or foreign value is deleted (status 2) and the
/// caller falls back, or starts over from its own rate.
/// </summary>
/// <remarks>
/// Reserve (op 1): the rate at now follows CUBIC from the last decrease, R(t) = rmax·(1 + growth·(t − K)³),
/// K = ∛((1 − beta) / growth), within [minRate, maxRate]; the bucket refills at it up to burst, one token is
/// taken (tokens may go negative: slots queued for the fleet), and the delay until that slot is returned in
/// microseconds; while the refill has not started (the window after a pause, see op 2), the slot counts from its start.
/// No state: status 1, the caller uses its local controller.
/// Quota spent (op 2): unless a decrease happened within the window (the same burst of limits, seen by
/// several instances), rmax = the rate in force, rate = beta·rmax, decreasedAt = now, and no token saved up
/// survives. With no state there is no rate in force: rmax starts from the caller's own accepted rate, and every
/// other instance that reports within the window (each once: the same burst) adds its own, so that rmax is the
/// fleet's and not one instance's share of it (the hash's <c>seeded</c> is 1 while that window lasts). Every
/// write renews the idle expiry. When a pause follows the decrease (restartMs, its end from now, at most 4 windows),
/// the curve starts at the pause's end and the refill a window later, as each instance's own pace does: the instances
/// send their own share of that first window at once (their grant), and the fleet's slots follow it.
/// Limited (op 3): an instance paced by the shared state got a limit that was not, on its own, evidence enough for a
/// decrease: each instance sees only its share of the fleet's limits, so they are counted here, per window
/// ({limitsAt, limits}), and minLimits of them in a window decrease the pace as op 2 does (none within the window
/// of a decrease: its limits belong to it).
/// Returns { status (0 ok, 1 no state, 2 reset), value (op 1: delay in µs; ops 2 and 3: 1 when decreased) }.
/// </remarks>
internal static class PaceScript
{
    public const int Reserve = 1;
    public const int QuotaSpent = 2;
    public const int Limited = 3;

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
        local minLimits = tonumber(@minLimits)
        local restartMs = tonumber(@restartMs)

        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000

        local function finite(x) return x ~= nil and x == x and x ~= math.huge and x ~= -math.huge end
        local function fmt(x) return string.format('%.17g', x) end
        local function clamp(x)
          if x < minRate then return minRate elseif x > maxRate then return maxRate end
          return x
        end
        local ahead = 5 * windowMs -- a restart is at most 4 windows ahead (after a pause), its refill one more
        local function cubic(rmax, decreasedAt, at)
          local s = (at - decreasedAt) / 1000 - ((1 - beta) / growth) ^ (1 / 3)
          return clamp(rmax * (1 + growth * s * s * s))
        end

        local status = 0
        local rate, rmax, decreasedAt, tokens, refilledAt, seeded, limitsAt, limits
        local raw = redis.pcall('HMGET', key, 'rate', 'rmax', 'decreasedAt', 'tokens', 'refilledAt', 'seeded', 'limitsAt', 'limits')
        if type(raw) ~= 'table' or raw.err then
          redis.call('DEL', key)
          status = 2
        elseif not (raw[1] or raw[2] or raw[3] or raw[4] or raw[5]) then
          status = 1
        else
          rate, rmax, decreasedAt, tokens, refilledAt = tonumber(raw[1]), tonumber(raw[2]), tonumber(raw[3]), tonumber(raw[4]), tonumber(raw[5])
          seeded = raw[6]
          if finite(tokens) and tokens > burst then tokens = burst end -- each caller's burst follows its own rate: not broken
          if raw[7] then limitsAt = tonumber(raw[7]) end
          if raw[8] then limits = tonumber(raw[8]) end
          local deepest = -(maxRate * idleMs / 1000 + burst)
          if not (finite(rate) and finite(rmax) and finite(decreasedAt) and finite(tokens) and finite(refilledAt)
                  and rate >= minRate * 0.999999 and rate <= maxRate and rmax > 0 and rmax <= maxRate
                  and decreasedAt >= 0 and decreasedAt <= now + ahead and refilledAt >= 0 and refilledAt <= now + ahead
                  and tokens >= deepest
                  and (seeded == false or seeded == '0' or seeded == '1')
                  and (raw[7] == false or (finite(limitsAt) and limitsAt >= 0 and limitsAt <= now + ahead))
                  and (raw[8] == false or (finite(limits) and limits >= 0 and limits <= 1000000))) then
            redis.call('DEL', key)
            status = 2
          end
        end

        if op == 1 then
          if status ~= 0 then return { status, 0 } end
          -- Before a refill that starts later (the window after a pause, whose quota the instances' own grants spend),
          -- the slot is counted from that start.
          local from = math.max(now, refilledAt)
          rate = cubic(rmax, decreasedAt, from)
          tokens = math.min(burst, tokens + (from - refilledAt) / 1000 * rate) - 1
          redis.call('HSET', key, 'rate', fmt(rate), 'tokens', fmt(tokens), 'refilledAt', fmt(from))
          redis.call('PEXPIRE', key, idleMs)
          local delay = (from - now) * 1000
          if tokens < 0 then delay = delay - tokens / rate * 1000000 end
          return { 0, math.floor(delay + 0.5) }
        end

        if op == 3 then
          if status ~= 0 then return { status, 0 } end
          if now - decreasedAt < windowMs then
            return { 0, 0 }
          end
          if limitsAt == nil or limits == nil or now - limitsAt >= windowMs then
            limitsAt = now
            limits = 0
          end
          limits = limits + 1
          if limits < minLimits then
            redis.call('HSET', key, 'limitsAt', fmt(limitsAt), 'limits', fmt(limits))
            redis.call('PEXPIRE', key, idleMs)
            return { 0, 0 }
          end
        end

        if status == 0 and now - decreasedAt < windowMs then
          if seeded == '1' then
            rmax = clamp(rmax + clamp(localRate))
            redis.call('HSET', key, 'rate', fmt(clamp(beta * rmax)), 'rmax', fmt(rmax))
          end
          redis.call('PEXPIRE', key, idleMs)
          return { 0, 0 }
        end

        local inForce
        if status == 0 then
          inForce = cubic(rmax, decreasedAt, now)
          tokens = math.min(0, tokens + math.max(0, now - refilledAt) / 1000 * inForce)
          seeded = '0'
        else
          inForce = clamp(localRate)
          tokens = 0
          seeded = '1'
        end

        -- A decrease that a pause follows (op 2 with restartMs): the curve starts at the pause's end, as each instance's own
        -- does, and the refill a window later: each instance sends its share of that window at once, as its grant.
        local restart = 0
        if op == 2 and finite(restartMs) and restartMs > 0 then restart = math.min(restartMs, 4 * windowMs) end
        local hold = 0
        if restart > 0 then hold = math.max(0, windowMs - 1000 / inForce) end
        redis.call('HSET', key, 'rate', fmt(clamp(beta * inForce)), 'rmax', fmt(inForce), 'decreasedAt', fmt(now + restart), 'tokens', fmt(tokens), 'refilledAt', fmt(now + restart + hold), 'seeded', seeded, 'limits', '0')
        redis.call('PEXPIRE', key, idleMs)
        return { status, 1 }
        """);
}
