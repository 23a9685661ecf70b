import FreedomPayCore
import Testing

/// Every (state, event) pair of the payout state machine (merchant-api.md §4.3).
@Suite struct PayoutMachineTests {
    enum Event: CaseIterable { case start, succeed, fail }

    static func apply(_ event: Event, to machine: inout PayoutMachine) -> Bool {
        do {
            switch event {
            case .start: try machine.start()
            case .succeed: try machine.succeed()
            case .fail: try machine.fail(code: 10001)
            }
            return true
        } catch {
            return false
        }
    }

    static let expected: [PayoutMachine.State: [Event: PayoutMachine.State]] = [
        .created: [.start: .process, .fail: .error],
        .process: [.succeed: .ok, .fail: .error],
        .ok: [:],
        .error: [:],
    ]

    @Test(arguments: PayoutMachine.State.allCases)
    func everyEventFrom(_ state: PayoutMachine.State) {
        for event in Event.allCases {
            var machine = PayoutMachine(state: state)
            let accepted = Self.apply(event, to: &machine)
            if let target = Self.expected[state]?[event] {
                #expect(accepted && machine.state == target, "\(state) --\(event)--> \(target)")
            } else {
                #expect(!accepted && machine.state == state, "\(state) must refuse \(event)")
            }
        }
    }

    @Test func failureKeepsItsCodeAndStatusNamesFollowTheDocs() throws {
        var machine = PayoutMachine()
        #expect(machine.paymentStatus == "process" && machine.transactionStatus == "partial" && machine.legacyStatus == "new")
        try machine.start()
        #expect(machine.paymentStatus == "process" && machine.transactionStatus == "pending" && !machine.isFinal)
        try machine.fail(code: 10001)
        #expect(machine.errorCode == 10001 && machine.paymentStatus == "error" && machine.transactionStatus == "failed" && machine.isFinal)
        var paid = PayoutMachine(state: .process)
        try paid.succeed()
        #expect(paid.paymentStatus == "success" && paid.transactionStatus == "ok" && paid.legacyStatus == "ok" && paid.errorCode == nil)
    }

    @Test func feeIsPercentageRoundedHalfUpPlusFixed() {
        #expect(PayoutFee(basisPoints: 100, fixedMinor: 0).fee(forMinor: 250_000) == 2_500)
        #expect(PayoutFee(basisPoints: 150, fixedMinor: 10_000).fee(forMinor: 1_000) == 10_015)
        #expect(PayoutFee(basisPoints: 100, fixedMinor: 0).fee(forMinor: 49) == 0)
        #expect(PayoutFee(basisPoints: 100, fixedMinor: 0).fee(forMinor: 50) == 1)
        #expect(PayoutFee(basisPoints: 0, fixedMinor: 0).fee(forMinor: 1_000_000) == 0)
    }
}
