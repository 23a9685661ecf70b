import Foundation
import FreedomPayCore
import FreedomPayWire

/// Hands the callbacks of a merchant to an attached `freedompay listen` instead of sending them to the
/// merchant's URL (like `stripe listen`: the CLI connects out, so the server may be remote).
///
/// The listener long-polls `/sandbox/callbacks/listen`, forwards each delivery to its local URL and posts the
/// local reply back to `/sandbox/callbacks/reply`; the dispatcher then records that reply exactly as it would a
/// direct one. Every queue is bounded; a listener that does not answer in time is detached and the dispatcher
/// falls back to direct delivery for that attempt. Per process: with several instances sharing one database,
/// only the instance the listener is connected to relays.
public actor CallbackRelay {
    /// One callback handed to a listener, signed for the listener's forward URL.
    public struct Delivery: Sendable {
        public let id: String
        /// The listener's forward URL (the signature's script name is its last path segment).
        public let forwardURL: String
        /// The URL the merchant configured, for display.
        public let originalURL: String
        public let method: PGRequestMethod
        /// The exact bytes a direct delivery would carry: query string (GET) or form body (POST / XML).
        public let payload: String
        public let secret: Merchant.SecretKind
        public let requireSignedReply: Bool
    }

    struct Listener {
        var forwardURL: String
        var lastSeen: ContinuousClock.Instant
        var queue: [Delivery] = []
        var inFlight: [String: Delivery] = [:]
    }

    /// Deliveries waiting for one listener; past it, callbacks go direct.
    static let queueLimit = 64
    /// A listener counts as attached while it polled within this window.
    static let attachWindow: Duration = .seconds(30)
    static let pollInterval: Duration = .milliseconds(25)
    /// Merchants with an attached listener at once; past it, a new listener is not attached (stale ones go first).
    static let listenerLimit = 1_000

    let replyTimeoutMs: Int64
    private var listeners: [MerchantID: Listener] = [:]
    /// Delivery ids whose dispatcher still waits, and the replies that arrived for them.
    private var awaiting: Set<String> = []
    private var replies: [String: CallbackReply.Parsed] = [:]

    public init(replyTimeoutMs: Int64) {
        self.replyTimeoutMs = min(max(replyTimeoutMs, 100), 120_000)
    }

    // MARK: listener side

    /// Marks the listener of `merchant` alive (forwarding to `forwardURL`) and takes its next delivery.
    public func poll(merchant: MerchantID, forwardURL: String) -> Delivery? {
        let now = ContinuousClock.now
        if listeners[merchant] == nil, listeners.count >= Self.listenerLimit {
            listeners = listeners.filter { now - $0.value.lastSeen < Self.attachWindow }
            guard listeners.count < Self.listenerLimit else { return nil }
        }
        var listener = listeners[merchant] ?? Listener(forwardURL: forwardURL, lastSeen: now)
        listener.lastSeen = now
        if listener.forwardURL != forwardURL, listener.queue.isEmpty {
            listener.forwardURL = forwardURL
        }
        var taken: Delivery?
        if !listener.queue.isEmpty {
            let next = listener.queue.removeFirst()
            listener.inFlight[next.id] = next
            taken = next
        }
        listeners[merchant] = listener
        return taken
    }

    /// The delivery `id` of `merchant`'s listener, removed from its in-flight set; nil for unknown ids and for
    /// another merchant's (which look the same).
    public func complete(merchant: MerchantID, id: String) -> Delivery? {
        listeners[merchant]?.inFlight.removeValue(forKey: id)
    }

    /// Stores the listener's reply for the waiting dispatcher; dropped when the dispatcher gave up already.
    public func store(_ reply: CallbackReply.Parsed, for id: String) {
        guard awaiting.contains(id) else { return }
        replies[id] = reply
    }

    // MARK: dispatcher side

    /// Queues a delivery when a listener is attached and has room; nil means "deliver directly".
    func enqueue(merchant: MerchantID, build: @Sendable (String) -> Delivery) -> Delivery? {
        guard var listener = listeners[merchant] else { return nil }
        guard ContinuousClock.now - listener.lastSeen < Self.attachWindow else {
            listeners[merchant] = nil
            return nil
        }
        guard listener.queue.count < Self.queueLimit else { return nil }
        let delivery = build(listener.forwardURL)
        listener.queue.append(delivery)
        listeners[merchant] = listener
        awaiting.insert(delivery.id)
        return delivery
    }

    func takeReply(_ id: String) -> CallbackReply.Parsed? {
        guard let reply = replies.removeValue(forKey: id) else { return nil }
        awaiting.remove(id)
        return reply
    }

    /// The listener did not answer in time: forget the delivery and detach the listener (it re-attaches on
    /// its next poll), so the following callbacks go direct at once.
    func abandon(merchant: MerchantID, id: String) {
        awaiting.remove(id)
        replies[id] = nil
        listeners[merchant] = nil
    }

    public func isAttached(_ merchant: MerchantID) -> Bool {
        guard let listener = listeners[merchant] else { return false }
        return ContinuousClock.now - listener.lastSeen < Self.attachWindow
    }
}

extension CallbackRelay {
    /// Relays one attempt through the merchant's listener and waits for its reply; nil when no listener is
    /// attached or it did not answer within the callback timeout (the caller then delivers directly).
    func attempt(merchant: Merchant, url: String, method: PGRequestMethod, parameters: [PGParameter],
                 secret: Merchant.SecretKind, requireSignedReply: Bool) async -> CallbackReply.Parsed? {
        let queued = enqueue(merchant: merchant.id) { forwardURL in
            let signed = CallbackSender.signed(parameters, url: forwardURL, secret: merchant.secret(secret))
            return Delivery(
                id: RandomToken.alphanumeric(20), forwardURL: forwardURL, originalURL: url, method: method,
                payload: CallbackSender.payload(signed, method: method), secret: secret, requireSignedReply: requireSignedReply)
        }
        guard let delivery = queued else { return nil }
        let deadline = ContinuousClock.now + .milliseconds(replyTimeoutMs)
        while ContinuousClock.now < deadline {
            if let reply = takeReply(delivery.id) { return reply }
            do { try await Task.sleep(for: Self.pollInterval) } catch { break }
        }
        if let reply = takeReply(delivery.id) { return reply }
        abandon(merchant: merchant.id, id: delivery.id)
        return nil
    }
}
