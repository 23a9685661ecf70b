import Foundation
import Synchronization

/// Verified credentials kept in memory, so that authenticating a request costs neither a store read nor
/// an AES-GCM open of the sealed secret.
///
/// Staleness is bounded two ways. In this process, whoever changes a secret calls `invalidate...` after the
/// change committed (`CredentialsRepository.credentialsChanged`), and it takes effect at once: a lookup
/// that read the old secret before the commit cannot store it afterwards (the generation moved on). Other
/// server instances sharing the database learn of it when their entry expires (`ttl`). Unknown ids are
/// never cached, so a partner created elsewhere works on its first request.
public final class CredentialsCache: Sendable {
    private struct Entry<Value> {
        let value: Value
        let expiresAt: Date
    }

    private struct State {
        var partners: [String: Entry<Partner>] = [:]
        var merchants: [Int64: Entry<Merchant>] = [:]
        var generation: UInt64 = 0
    }

    /// How long an entry is trusted without looking at the store again; 0 disables the cache.
    public let ttl: TimeInterval
    private let clock: any Clock
    private let state = Mutex(State())
    /// Bounds memory if there are very many partners: past this, the map is emptied and refilled on demand.
    private let maxEntries = 10_000

    public init(ttl: TimeInterval, clock: any Clock) {
        self.ttl = ttl
        self.clock = clock
    }

    public func partner(authID: String, load: () async throws -> Partner?) async throws -> Partner? {
        let now = clock.now()
        let (hit, generation) = state.withLock { state in
            (state.partners[authID].flatMap { $0.expiresAt > now ? $0.value : nil }, state.generation)
        }
        if let hit { return hit }
        guard let loaded = try await load() else { return nil }
        store(generation) { state in
            if state.partners.count >= maxEntries { state.partners = [:] }
            state.partners[authID] = Entry(value: loaded, expiresAt: now.addingTimeInterval(ttl))
        }
        return loaded
    }

    public func merchant(id: MerchantID, load: () async throws -> Merchant?) async throws -> Merchant? {
        let now = clock.now()
        let (hit, generation) = state.withLock { state in
            (state.merchants[id.rawValue].flatMap { $0.expiresAt > now ? $0.value : nil }, state.generation)
        }
        if let hit { return hit }
        guard let loaded = try await load() else { return nil }
        store(generation) { state in
            if state.merchants.count >= maxEntries { state.merchants = [:] }
            state.merchants[id.rawValue] = Entry(value: loaded, expiresAt: now.addingTimeInterval(ttl))
        }
        return loaded
    }

    /// Forgets one partner's credentials (its secret changed, or it was disabled or removed).
    public func invalidatePartner(id: PartnerID) {
        state.withLock { state in
            state.partners = state.partners.filter { $0.value.value.id != id }
            state.generation &+= 1
        }
    }

    public func invalidateMerchant(id: MerchantID) {
        state.withLock { state in
            state.merchants[id.rawValue] = nil
            state.generation &+= 1
        }
    }

    public func invalidateAll() {
        state.withLock { state in
            state = State(generation: state.generation &+ 1)
        }
    }

    /// Stores a loaded value only if nothing was invalidated since the lookup began.
    private func store(_ generation: UInt64, _ update: (inout State) -> Void) {
        guard ttl > 0 else { return }
        state.withLock { state in
            if state.generation == generation { update(&state) }
        }
    }
}
