/// The Lua scripts that keep the breaker and quota in Redis. Each
/// read-modify-write is one script, which Redis runs atomically; times come
/// from the server's `TIME` in milliseconds, never from a host's clock, so
/// hosts with skewed clocks agree. The hash at KEY holds the file record's
/// fields, in the same units (seconds with milliseconds for times); the
/// file's trial pid is a lease here: `trial-lease` (a token naming the
/// run) and `trial-expires`.
package struct RedisScript: Sendable {
    package let text: String
    /// The SHA-1 that `EVALSHA` names the script by.
    package let sha: String

    init(_ parts: String...) {
        text = parts.joined(separator: "\n")
        sha = SHA1.hex(text)
    }

    /// Every script reads the hash into `s`; `num`, `ms` and `secs` convert.
    private static let load = """
        if redis.replicate_commands then redis.replicate_commands() end
        local raw = redis.call('HGETALL', KEYS[1])
        local s = {}
        for i = 1, #raw, 2 do s[raw[i]] = raw[i + 1] end
        local function num(key) return tonumber(s[key] or '0') or 0 end
        local function ms(key) return math.floor(num(key) * 1000 + 0.5) end
        local function secs(m) return string.format('%.3f', m / 1000) end
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        """

    /// Writes every breaker field; the key outlives its last use by the idle
    /// lifetime, counted from the later of the cooldown's and Retry-After's end.
    private static let saveBreaker = """
        local function save(idle)
          redis.call('HSET', KEYS[1], 'phase', s['phase'] or 'closed',
            'consecutive-failures', string.format('%d', num('consecutive-failures')),
            'retry-at', secs(ms('retry-at')), 'retry-after-until', secs(ms('retry-after-until')),
            'trial-lease', s['trial-lease'] or '', 'trial-expires', secs(ms('trial-expires')),
            'runs', string.format('%d', num('runs')), 'failed-runs', string.format('%d', num('failed-runs')))
          local keep = math.max(ms('retry-at'), ms('retry-after-until')) - now
          redis.call('PEXPIRE', KEYS[1], idle + math.max(0, keep))
        end
        """

    private static let saveQuota = """
        local function save(idle)
          redis.call('HSET', KEYS[1], 'balance', string.format('%d', num('balance')),
            'retries-taken', string.format('%d', num('retries-taken')),
            'retries-refused', string.format('%d', num('retries-refused')),
            'tokens-refunded', string.format('%d', num('tokens-refunded')),
            'refilled-at', secs(ms('refilled-at')), 'tokens-refilled', string.format('%d', num('tokens-refilled')))
          redis.call('PEXPIRE', KEYS[1], idle)
        end
        -- The same rules as `RetryQuota.refill`: size / 600 tokens a second.
        local function refill(size)
          local balance = tonumber(s['balance'] or size)
          if ms('refilled-at') <= 0 or balance >= size then
            s['refilled-at'] = secs(math.max(ms('refilled-at'), now))
            return
          end
          local per_ms = size / 600000
          local earned = math.floor(math.min(size, math.max(0, (now - ms('refilled-at')) * per_ms)))
          if earned <= 0 then return end
          s['tokens-refilled'] = num('tokens-refilled') + math.min(earned, size - balance)
          s['balance'] = math.min(size, balance + earned)
          if s['balance'] >= size then s['refilled-at'] = secs(now)
          else s['refilled-at'] = secs(ms('refilled-at') + earned / per_ms) end
        end
        """

    /// ARGV: lease token, lease lifetime (ms), idle lifetime (ms).
    /// Returns {allowed|open|busy|trial, retry-at (ms), now (ms)}.
    package static let breakerAdmit = RedisScript(load, saveBreaker, """
        local phase = s['phase'] or 'closed'
        local lease = s['trial-lease'] or ''
        local reply
        if phase == 'closed' then reply = 'allowed'
        elseif phase == 'open' and now < ms('retry-at') then reply = 'open'
        elseif lease ~= '' and lease ~= ARGV[1] and ms('trial-expires') > now then reply = 'busy'
        else
          s['phase'] = 'half-open'
          s['trial-lease'] = ARGV[1]
          s['trial-expires'] = secs(now + tonumber(ARGV[2]))
          save(tonumber(ARGV[3]))
          reply = 'trial'
        end
        return {reply, ms('retry-at'), now}
        """)

    /// ARGV: succeeded|failed|inconclusive, 1 if this run was the trial,
    /// lease token, threshold, cooldown (ms), idle lifetime (ms). The same
    /// rules as `CircuitBreaker.record`. Returns the server's time (ms), or
    /// 0 when the run was the trial but its lease is no longer its own.
    ///
    /// The lease token is the fence: it names one run (host, pid, random)
    /// and is compared in the same atomic script that records the outcome.
    /// A trial whose lease expired (its `retry` was stopped, or cut off
    /// from Redis) and was granted to another run records nothing, so a
    /// late outcome cannot overwrite the newer trial's.
    package static let breakerFinish = RedisScript(load, saveBreaker, """
        local trial = ARGV[2] == '1'
        if trial then
          if s['trial-lease'] ~= ARGV[3] then return 0 end
          s['trial-lease'] = ''
          s['trial-expires'] = '0'
        end
        if ARGV[1] ~= 'inconclusive' then
          local phase = s['phase'] or 'closed'
          s['runs'] = num('runs') + 1
          if ARGV[1] == 'succeeded' then
            s['consecutive-failures'] = 0
            if trial or phase == 'closed' then s['phase'] = 'closed' end
          else
            s['failed-runs'] = num('failed-runs') + 1
            s['consecutive-failures'] = num('consecutive-failures') + 1
            if trial or (phase == 'closed' and num('consecutive-failures') >= tonumber(ARGV[4])) then
              s['phase'] = 'open'
              s['retry-at'] = secs(now + tonumber(ARGV[5]))
            end
          end
        end
        save(tonumber(ARGV[6]))
        return now
        """)

    /// ARGV: lease token, lease lifetime (ms). Returns 1 if the lease was
    /// still this run's and is extended, 0 if not.
    package static let breakerRenew = RedisScript(load, """
        if s['trial-lease'] ~= ARGV[1] then return 0 end
        redis.call('HSET', KEYS[1], 'trial-expires', secs(now + tonumber(ARGV[2])))
        return 1
        """)

    /// ARGV: the delay a server asked for (ms), idle lifetime (ms). Keeps the
    /// later moment; returns it (ms).
    package static let breakerShareRetryAfter = RedisScript(load, saveBreaker, """
        local until_ = now + tonumber(ARGV[1])
        if until_ > ms('retry-after-until') then s['retry-after-until'] = secs(until_) end
        save(tonumber(ARGV[2]))
        return ms('retry-after-until')
        """)

    /// Writes every pace field (`PaceState`'s, in its units); the key
    /// outlives its last use by the idle lifetime, counted from the later
    /// of the next slot and the hold.
    private static let savePace = """
        local function save(idle)
          redis.call('HSET', KEYS[1], 'next-slot', secs(ms('next-slot')), 'hold', secs(ms('hold')),
            'rate', string.format('%.3f', num('rate')), 'rate-cut-at', secs(ms('rate-cut-at')),
            'slots', string.format('%d', num('slots')))
          local keep = math.max(ms('next-slot'), ms('hold')) - now
          redis.call('PEXPIRE', KEYS[1], idle + math.max(0, keep))
        end
        """

    /// ARGV: the interval between slots (ms, 0: the learned rate's), the
    /// latest usable slot (ms from now, -1: no limit), idle lifetime (ms).
    /// The same rules as `Pacer.take`. Returns {at|past, slot (ms), now (ms)}.
    package static let paceTake = RedisScript(load, savePace, """
        local slot = math.max(now, ms('next-slot'), ms('hold'))
        local latest = tonumber(ARGV[2])
        if latest >= 0 and slot > now + latest then return {'past', slot, now} end
        local interval = tonumber(ARGV[1])
        if interval <= 0 and num('rate') > 0 then interval = 1000 / num('rate') end
        s['next-slot'] = secs(slot + interval)
        s['slots'] = num('slots') + 1
        save(tonumber(ARGV[3]))
        return {'at', slot, now}
        """)

    /// ARGV: the delay a server asked for (ms), idle lifetime (ms), 1 to
    /// learn the rate (no `--rate`) else 0. The same rules as
    /// `Pacer.throttled`: the hold, and `LearnedRate.cut`. Returns the hold (ms).
    package static let paceHold = RedisScript(load, savePace, """
        local delay = tonumber(ARGV[1])
        local until_ = now + math.max(0, delay)
        if until_ > ms('hold') then s['hold'] = secs(until_) end
        if ms('hold') > ms('next-slot') then s['next-slot'] = secs(ms('hold')) end
        if ARGV[3] == '1' then
          local window = math.max(1000, delay)
          local rate = num('rate')
          if rate <= 0 or now >= ms('rate-cut-at') + window then
            local from = rate
            if rate <= 0 then from = 1000 / window end
            s['rate'] = math.min(\(LearnedRate.ceiling), math.max(\(LearnedRate.floor), from * \(LearnedRate.cutFactor)))
            s['rate-cut-at'] = secs(now)
          end
        end
        save(tonumber(ARGV[2]))
        return ms('hold')
        """)

    /// ARGV: idle lifetime (ms). The same rules as `Pacer.succeeded`
    /// without `--rate` (`LearnedRate.recover`); a missing key or no
    /// learned rate is left as it is. Returns the rate, as stored.
    package static let paceRecover = RedisScript(load, savePace, """
        local rate = num('rate')
        if #raw == 0 or rate <= 0 then return string.format('%.3f', rate) end
        s['rate'] = math.min(\(LearnedRate.ceiling), rate + math.min(rate, \(LearnedRate.increase) / rate))
        save(tonumber(ARGV[1]))
        return string.format('%.3f', num('rate'))
        """)

    /// Changes nothing. Returns {now (ms), {field, value, ...}}.
    package static let read = RedisScript(load, "return {now, raw}")

    /// ARGV: idle lifetime (ms). `CircuitBreaker.reset`: closed, no trial,
    /// no shared Retry-After, totals kept; a missing key stays missing.
    /// Returns what it replaced, as `read` does.
    package static let breakerReset = RedisScript(load, saveBreaker, """
        s['phase'] = 'closed'
        s['consecutive-failures'] = 0
        s['retry-at'] = '0'
        s['retry-after-until'] = '0'
        s['trial-lease'] = ''
        s['trial-expires'] = '0'
        if #raw > 0 then save(tonumber(ARGV[1])) end
        return {now, raw}
        """)

    /// ARGV: idle lifetime (ms). `Pacer.reset`: no hold, the next slot now
    /// at the latest, the learned rate kept. Returns what it replaced.
    package static let paceReset = RedisScript(load, savePace, """
        s['hold'] = '0'
        if ms('next-slot') > now then s['next-slot'] = secs(now) end
        if #raw > 0 then save(tonumber(ARGV[1])) end
        return {now, raw}
        """)

    /// ARGV: size, idle lifetime (ms). `RetryQuota.refilled`: a full bucket,
    /// totals kept; a missing key stays missing. Returns what it replaced.
    package static let quotaReset = RedisScript(load, saveQuota, """
        s['balance'] = tonumber(ARGV[1])
        if #raw > 0 then save(tonumber(ARGV[2])) end
        return {now, raw}
        """)

    /// ARGV: cost, size, idle lifetime (ms). The same rules as
    /// `RetryQuota.take`. Returns {1 if paid, balance}.
    package static let quotaTake = RedisScript(load, saveQuota, """
        local cost, size = tonumber(ARGV[1]), tonumber(ARGV[2])
        refill(size)
        local balance = math.min(tonumber(s['balance'] or size), size)
        local paid = 0
        if balance >= cost then
          balance = balance - cost
          s['retries-taken'] = num('retries-taken') + 1
          paid = 1
        else
          s['retries-refused'] = num('retries-refused') + 1
        end
        s['balance'] = balance
        save(tonumber(ARGV[3]))
        return {paid, balance}
        """)

    /// ARGV: refund, size, idle lifetime (ms). The same rules as
    /// `RetryQuota.refund`. Returns the balance.
    package static let quotaRefund = RedisScript(load, saveQuota, """
        local amount, size = tonumber(ARGV[1]), tonumber(ARGV[2])
        refill(size)
        local balance = tonumber(s['balance'] or size)
        local refunded = math.max(0, math.min(size, balance + amount) - balance)
        s['balance'] = balance + refunded
        s['tokens-refunded'] = num('tokens-refunded') + refunded
        save(tonumber(ARGV[3]))
        return s['balance']
        """)
}
