import FreedomPayCore
import FreedomPayWire
import Testing

/// One test per transition of the purchase machine (merchant-api.md §4.1) and its refusals.
@Suite struct PaymentMachineTests {
    func pending() -> PaymentMachine {
        var machine = PaymentMachine(amountMinor: 100_000)
        try! machine.submitCard()
        return machine
    }

    func authorized() -> PaymentMachine {
        var machine = pending()
        _ = try! machine.authorize(autoClearing: false)
        return machine
    }

    func captured() -> PaymentMachine {
        var machine = pending()
        _ = try! machine.authorize(autoClearing: true)
        return machine
    }

    func expectViolation(_ code: PGErrorCode, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected \(code)")
        } catch let violation as PurchaseRuleViolation {
            #expect(violation.code == code)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func createdToPendingOnCardSubmission() throws {
        var machine = PaymentMachine(amountMinor: 500)
        try machine.submitCard()
        #expect(machine.status == .pending)
        expectViolation(.repeatedOperation) { try machine.submitCard() }
    }

    @Test func pendingToCapturedWhenOneStep() throws {
        var machine = pending()
        #expect(try machine.authorize(autoClearing: true) == 100_000)
        #expect(machine.status == .captured && machine.clearedMinor == 100_000)
        #expect(machine.status.wire == .success)
    }

    @Test func pendingToAuthorizedWhenTwoStep() throws {
        var machine = pending()
        #expect(try machine.authorize(autoClearing: false) == 0)
        #expect(machine.status == .authorized && machine.clearedMinor == 0)
        #expect(machine.status.wire == .success)
    }

    @Test func pendingToFailedOnDecline() throws {
        var machine = pending()
        try machine.decline()
        #expect(machine.status == .failed && machine.status.wire == .error)
        expectViolation(.repeatedOperation) { _ = try machine.authorize(autoClearing: true) }
    }

    @Test func createdAndPendingExpireToIncomplete() throws {
        var created = PaymentMachine(amountMinor: 1)
        try created.expire()
        #expect(created.status == .incomplete)
        expectViolation(.lifetimeExpired) { try created.submitCard() }
        var machine = pending()
        try machine.expire()
        #expect(machine.status.wire == .incomplete)
        var done = captured()
        expectViolation(.repeatedOperation) { try done.expire() }
    }

    @Test func authorizedToCapturedFullAndPartial() throws {
        var full = authorized()
        #expect(try full.capture(amountMinor: nil) == 100_000)
        #expect(full.status == .captured)
        var partial = authorized()
        #expect(try partial.capture(amountMinor: 40_000) == 40_000)
        #expect(partial.clearedMinor == 40_000)
        var tooMuch = authorized()
        expectViolation(.invalidParameter) { _ = try tooMuch.capture(amountMinor: 100_001) }
        #expect(tooMuch.status == .authorized)
    }

    @Test func captureRefusals() {
        var done = captured()
        expectViolation(.clearingAlreadyDone) { _ = try done.capture(amountMinor: nil) }
        var failed = pending()
        try! failed.decline()
        expectViolation(.clearingOfFailedPayment) { _ = try failed.capture(amountMinor: nil) }
        var created = PaymentMachine(amountMinor: 5)
        expectViolation(.clearingOfFailedPayment) { _ = try created.capture(amountMinor: nil) }
    }

    @Test func authorizedToCancelled() throws {
        var machine = authorized()
        try machine.cancel()
        #expect(machine.status == .cancelled && machine.status.wire == .revoked)
        expectViolation(.alreadyCancelled) { try machine.cancel() }
        expectViolation(.clearingOfFailedPayment) { _ = try machine.capture(amountMinor: nil) }
        expectViolation(.alreadyCancelled) { _ = try machine.refund(amountMinor: nil) }
    }

    @Test func cancelRefusals() {
        var done = captured()
        expectViolation(.unableToCancel) { try done.cancel() }
        var failed = pending()
        try! failed.decline()
        expectViolation(.cancelOfFailedPayment) { try failed.cancel() }
    }

    @Test func capturedPartialRefundStaysCapturedThenRestRefunds() throws {
        var machine = captured()
        #expect(try machine.refund(amountMinor: 30_000) == 30_000)
        #expect(machine.status == .captured && machine.refundedMinor == 30_000)
        expectViolation(.refundExceedsPayment) { _ = try machine.refund(amountMinor: 70_001) }
        #expect(try machine.refund(amountMinor: nil) == 70_000)
        #expect(machine.status == .refunded && machine.status.wire == .revoked)
        expectViolation(.alreadyRefunded) { _ = try machine.refund(amountMinor: 1) }
    }

    @Test func refundNeverExceedsThePartiallyClearedAmount() throws {
        var machine = authorized()
        _ = try machine.capture(amountMinor: 25_000)
        expectViolation(.refundExceedsPayment) { _ = try machine.refund(amountMinor: 25_001) }
        #expect(try machine.refund(amountMinor: 25_000) == 25_000)
        #expect(machine.status == .refunded)
    }

    @Test func refundRefusals() {
        var held = authorized()
        expectViolation(.clearingRequired) { _ = try held.refund(amountMinor: nil) }
        var failed = pending()
        try! failed.decline()
        expectViolation(.refundNotAllowed) { _ = try failed.refund(amountMinor: nil) }
    }

    @Test func reverseReturnsWhatWasClearedAndNotRefunded() throws {
        var machine = captured()
        _ = try machine.refund(amountMinor: 10_000)
        #expect(try machine.reverse() == 90_000)
        #expect(machine.status == .cancelled)
        var held = authorized()
        #expect(try held.reverse() == 0)
        var failed = pending()
        try failed.decline()
        expectViolation(.unableToCancel) { _ = try failed.reverse() }
    }
}
