import AsyncHTTPClient
import Foundation
import FreedomPayCore
import FreedomPayWire
import Logging
import ServiceLifecycle

/// Drains the callback outbox: leases due rows, sends each signed callback, records the outcome through the
/// `CallbackDelivery` machine and applies the effects of finished deliveries, all with fixed bounds
/// (batch size, per-attempt timeout, attempts per callback). Started with the application; any number of
/// instances may share one database (rows are leased, results saved only by the lease holder).
public struct CallbackDispatcher: Service {
    let services: AppServices
    let effects: [CallbackKind: any CallbackEffect]
    let sender: CallbackSender
    /// Identifies this instance's leases.
    let owner: String

    public init(services: AppServices, effects: [CallbackKind: any CallbackEffect], client: HTTPClient = .shared) {
        self.services = services
        self.effects = effects
        self.sender = CallbackSender(client: client, timeoutMs: services.configuration.callbackTimeoutMs)
        self.owner = "dispatcher-" + RandomToken.alphanumeric(12)
    }

    var configuration: ServerConfiguration { services.configuration }
    var retryIntervalMs: Int64 { max(configuration.callbackRetryIntervalMs, 1) }
    /// A lease outlives the slowest attempt, so a live instance never loses a row it is sending.
    var leaseMs: Int64 { sender.timeoutMs * 2 + 1000 }
    func nowMs() -> Int64 { Int64(services.clock.now().timeIntervalSince1970 * 1000) }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            await pipeline()
        }
    }

    /// What a child task of the pipeline reports: one delivery ended, or the poll interval passed.
    enum PipelineEvent: Sendable { case delivered, tick }

    /// Keeps up to `callbackBatchSize` deliveries in flight and claims more as slots free up, so one slow or dead
    /// receiver (an attempt may take `callbackTimeoutMs`) occupies one slot instead of holding back every other
    /// merchant's callbacks until its batch ends. Claims are batched: a new claim waits until half the slots are
    /// free or the poll interval passes.
    func pipeline() async {
        let slots = min(max(configuration.callbackBatchSize, 1), 100)
        let pollMs = min(max(configuration.callbackPollIntervalMs, 10), 60_000)
        await withTaskGroup(of: PipelineEvent.self) { group in
            var inFlight = 0
            var tickPending = false
            var tickFired = true
            while !Task.isCancelled {
                let free = slots - inFlight
                if free > 0 && (free * 2 >= slots || tickFired) {
                    tickFired = false
                    let claimed = await claimLogged(limit: free)
                    for callback in claimed {
                        group.addTask { await deliver(callback); return .delivered }
                    }
                    inFlight += claimed.count
                }
                if !tickPending {
                    tickPending = true
                    group.addTask {
                        try? await Task.sleep(for: .milliseconds(pollMs))
                        return .tick
                    }
                }
                switch await group.next() {
                case .delivered: inFlight -= 1
                case .tick: tickPending = false; tickFired = true
                case nil: break
                }
            }
            group.cancelAll()
        }
    }

    private func claimLogged(limit: Int) async -> [OutboxCallback] {
        do {
            return try await claim(limit: limit)
        } catch {
            if !(error is CancellationError) {
                services.logger.error("callback dispatch failed", metadata: ["error": "\(error)"])
            }
            return []
        }
    }

    private func claim(limit: Int) async throws -> [OutboxCallback] {
        let now = nowMs()
        return try await services.store.write { [leaseMs, owner] db in
            try await OutboxRepository().claimDue(nowMs: now, leaseMs: leaseMs, owner: owner, limit: limit, in: db)
        }
    }

    /// Sends every currently due callback of one batch; returns how many were attempted.
    @discardableResult
    public func drainOnce() async throws -> Int {
        let claimed = try await claim(limit: min(max(configuration.callbackBatchSize, 1), 100))
        await withTaskGroup(of: Void.self) { group in
            for callback in claimed {
                group.addTask { await deliver(callback) }
            }
        }
        return claimed.count
    }

    private func deliver(_ row: OutboxCallback) async {
        var callback = row
        do {
            let merchant = try await services.store.read { db in
                try await services.credentials.merchant(id: row.callback.merchantID, in: db)
            }
            let reply: CallbackReply.Parsed
            if let merchant {
                var parameters = row.callback.parameters
                if let canReject = row.delivery.canReject { parameters.append(PGParameter("pg_can_reject", canReject ? "1" : "0")) }
                // Sandbox: an attached `freedompay listen` takes the attempt; its reply counts like a direct one.
                let relay = configuration.sandbox ? services.sandboxTools.relay : nil
                if let relayed = await relay?.attempt(
                    merchant: merchant, url: row.callback.url, method: row.callback.method, parameters: parameters,
                    secret: row.callback.secret, requireSignedReply: row.callback.kind.requiresSignedReply) {
                    reply = relayed
                } else {
                    reply = await sender.attempt(
                        url: row.callback.url, method: row.callback.method, parameters: parameters,
                        secret: merchant.secret(row.callback.secret), requireSignedReply: row.callback.kind.requiresSignedReply)
                }
            } else {
                reply = CallbackReply.Parsed(outcome: .failed("merchant no longer exists"))
            }
            let action = callback.delivery.record(reply.outcome, nowMs: nowMs(), retryIntervalMs: retryIntervalMs)
            callback.replyStatus = reply.status
            callback.replyDescription = reply.description
            try await save(callback, action: action)
            report(callback, action: action)
        } catch {
            services.logger.error("callback delivery not recorded", metadata: ["callback": "\(row.id)", "error": "\(error)"])
        }
    }

    /// Records the attempt and, for a finished delivery, its effects, in one transaction guarded by the lease.
    /// If the effect itself fails (e.g. the ledger refuses a reversal), the delivery is still recorded, without
    /// the effect, and the failure logged: a delivery must never be re-sent because its effect failed.
    private func save(_ callback: OutboxCallback, action: CallbackDelivery.Action) async throws {
        let now = services.clock.now()
        let finished: Bool
        switch action {
        case .finished, .givenUp: finished = true
        case .retry, .alreadyFinished: finished = false
        }
        let effect = finished ? effects[callback.callback.kind] : nil
        do {
            try await record(callback, effect: effect, now: now)
        } catch let error where effect != nil && !(error is LeaseLost) {
            services.logger.error("callback effect failed; delivery recorded without it", metadata: [
                "callback": "\(callback.id)", "subject": "\(callback.callback.subjectID)", "error": "\(error)"])
            try await record(callback, effect: nil, now: now)
        }
    }

    struct LeaseLost: Error {}

    private func record(_ callback: OutboxCallback, effect: (any CallbackEffect)?, now: Date) async throws {
        try await services.store.write { db in
            guard try await OutboxRepository().save(callback, owner: owner, nowMs: Int64(now.timeIntervalSince1970 * 1000), in: db) else {
                throw LeaseLost()
            }
            if let effect { try await effect.finished(callback, now: now, in: db) }
        }
    }

    /// Logs the attempt and counts it in `/metrics`.
    private func report(_ callback: OutboxCallback, action: CallbackDelivery.Action) {
        let metadata: Logger.Metadata = [
            "callback": "\(callback.id)", "kind": "\(callback.callback.kind.rawValue)", "subject": "\(callback.callback.subjectID)",
            "attempt": "\(callback.delivery.attempts)", "outcome": "\(action)",
        ]
        let kind = callback.callback.kind.rawValue
        switch action {
        case .finished, .alreadyFinished: FreedomPayMetrics.callbackAttempt(kind: kind, outcome: "delivered")
        case .retry: FreedomPayMetrics.callbackAttempt(kind: kind, outcome: "retry")
        case .givenUp: FreedomPayMetrics.callbackAttempt(kind: kind, outcome: "given_up")
        }
        switch action {
        case .finished, .alreadyFinished: services.logger.info("callback delivered", metadata: metadata)
        case .retry: services.logger.notice("callback attempt failed, will retry", metadata: metadata.merging(["error": "\(callback.delivery.lastError ?? "")"]) { $1 })
        case .givenUp: services.logger.warning("callback abandoned after the last attempt", metadata: metadata)
        }
    }
}

extension CallbackDispatcher {
    /// The effects of every callback kind the server sends. Add a line per new kind.
    public static func effects(_ services: AppServices) -> [CallbackKind: any CallbackEffect] {
        [.result: PurchaseResultEffect(service: services.purchases)]
    }
}

extension AppServices {
    /// Purchase operations with the configured callback retry schedule.
    public var purchases: PurchaseService {
        PurchaseService(
            retryPolicy: CallbackRetryPolicy(intervalMs: configuration.callbackRetryIntervalMs, windowMs: configuration.callbackRetryWindowMs),
            ledger: PurchaseLedger(ledger: LedgerRepository(clock: clock)))
    }
}
