/// The card state machine (card-api.md §4.3), a value with no I/O: one mutating function per event,
/// each returning the new status or throwing without changing anything.
///
/// ```
/// issued(1) ──activate──► activated(2) ◄──unblock── blocked(4)
///                             └─────────block────────►┘
/// any non-terminal ──close──► closed(3)      any non-terminal ──expire──► expired(5)
/// ```
public struct CardLifecycle: Sendable, Equatable {
    public enum Event: String, Sendable, CaseIterable {
        case activate, block, unblock, close, expire
    }

    /// The refused event and the status that refused it.
    public struct TransitionError: Error, Equatable, Sendable {
        public let event: Event
        public let status: CardStatus

        public init(event: Event, status: CardStatus) {
            self.event = event
            self.status = status
        }

        public var message: String { "card in status \(status.rawValue) (\(status.name)) cannot \(event.rawValue)" }
    }

    public private(set) var status: CardStatus

    public init(status: CardStatus) { self.status = status }

    /// The first state of a new card: virtual cards are usable at once, the others wait for activation.
    public static func new(_ kind: CardKind) -> CardLifecycle {
        CardLifecycle(status: kind == .virtual ? .activated : .issued)
    }

    @discardableResult
    public mutating func activate() throws(TransitionError) -> CardStatus {
        try move(.activate, allowedFrom: [.issued], to: .activated)
    }

    @discardableResult
    public mutating func block() throws(TransitionError) -> CardStatus {
        try move(.block, allowedFrom: [.activated], to: .blocked)
    }

    @discardableResult
    public mutating func unblock() throws(TransitionError) -> CardStatus {
        try move(.unblock, allowedFrom: [.blocked], to: .activated)
    }

    /// Irreversible.
    @discardableResult
    public mutating func close() throws(TransitionError) -> CardStatus {
        try move(.close, allowedFrom: [.issued, .activated, .blocked], to: .closed)
    }

    /// The expiry date passed.
    @discardableResult
    public mutating func expire() throws(TransitionError) -> CardStatus {
        try move(.expire, allowedFrom: [.issued, .activated, .blocked], to: .expired)
    }

    @discardableResult
    public mutating func apply(_ event: Event) throws(TransitionError) -> CardStatus {
        switch event {
        case .activate: return try activate()
        case .block: return try block()
        case .unblock: return try unblock()
        case .close: return try close()
        case .expire: return try expire()
        }
    }

    /// For changes that are not transitions (PIN, link, limits): allowed on any non-terminal card.
    public func requireChangeable(_ what: String) throws(CardRuleError) {
        if status.isTerminal || status == .unknown {
            throw .invalidCardState("card in status \(status.rawValue) (\(status.name)) accepts no \(what)")
        }
    }

    private mutating func move(_ event: Event, allowedFrom: Set<CardStatus>, to next: CardStatus) throws(TransitionError) -> CardStatus {
        guard allowedFrom.contains(status) else { throw TransitionError(event: event, status: status) }
        status = next
        return next
    }
}
