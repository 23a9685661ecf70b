import FreedomPayCore
import Testing

/// Walks every (status, event) pair of the card state machine against the documented table (card-api.md §4.3).
@Suite struct CardLifecycleTests {
    /// The only allowed transitions; every other pair must be refused.
    static let allowed: [CardStatus: [CardLifecycle.Event: CardStatus]] = [
        .issued: [.activate: .activated, .close: .closed, .expire: .expired],
        .activated: [.block: .blocked, .close: .closed, .expire: .expired],
        .blocked: [.unblock: .activated, .close: .closed, .expire: .expired],
        .closed: [:],
        .expired: [:],
        .unknown: [:],
    ]

    @Test(arguments: CardStatus.allCases)
    func everyEventFromStatus(_ status: CardStatus) throws {
        for event in CardLifecycle.Event.allCases {
            var machine = CardLifecycle(status: status)
            if let next = Self.allowed[status]?[event] {
                let result = try machine.apply(event)
                #expect(result == next, "\(status) --\(event)--> \(next)")
                #expect(machine.status == next)
            } else {
                #expect(throws: CardLifecycle.TransitionError(event: event, status: status)) { try machine.apply(event) }
                #expect(machine.status == status, "a refused \(event) must leave \(status) unchanged")
            }
        }
    }

    @Test func namedEventFunctionsMatchApply() throws {
        var machine = CardLifecycle.new(.plastic)
        #expect(machine.status == .issued)
        #expect(try machine.activate() == .activated)
        #expect(try machine.block() == .blocked)
        #expect(throws: CardLifecycle.TransitionError.self) { try machine.block() }
        #expect(try machine.unblock() == .activated)
        #expect(throws: CardLifecycle.TransitionError.self) { try machine.unblock() }
        #expect(try machine.close() == .closed)
        #expect(throws: CardLifecycle.TransitionError.self) { try machine.activate() }
        #expect(throws: CardLifecycle.TransitionError.self) { try machine.close() }
        #expect(throws: CardLifecycle.TransitionError.self) { try machine.expire() }
    }

    @Test func firstStateDependsOnKind() {
        #expect(CardLifecycle.new(.virtual).status == .activated)
        #expect(CardLifecycle.new(.plastic).status == .issued)
        #expect(CardLifecycle.new(.bulk).status == .issued)
    }

    @Test func terminalCardsAcceptNoOtherChange() {
        for status in CardStatus.allCases {
            let changeable = (try? CardLifecycle(status: status).requireChangeable("PIN change")) != nil
            #expect(changeable == [.issued, .activated, .blocked].contains(status), "\(status)")
        }
    }

    @Test func refusalMessageNamesStatusAndEvent() {
        let error = CardLifecycle.TransitionError(event: .unblock, status: .activated)
        #expect(error.message.contains("unblock"))
        #expect(error.message.contains("activated"))
    }
}
