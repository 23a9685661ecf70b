import FreedomPayCore
import Testing

/// Walks every transition of the callback delivery machine (merchant-api.md §4.5).
@Suite struct CallbackDeliveryTests {
    let interval: Int64 = 1_800_000

    @Test func documentedScheduleIsFiveAttemptsThirtyMinutesApart() {
        #expect(CallbackDelivery.maxAttempts(intervalMs: 1_800_000, windowMs: 7_200_000) == 5)
        #expect(CallbackDelivery.maxAttempts(intervalMs: 0, windowMs: 7_200_000) == 1)
        #expect(CallbackDelivery.maxAttempts(intervalMs: 1, windowMs: 1_000_000) == 100)
    }

    @Test func pendingOkBecomesDeliveredAccepted() {
        var delivery = CallbackDelivery(maxAttempts: 5, canReject: true, firstAttemptAtMs: 0)
        #expect(delivery.record(.ok, nowMs: 10, retryIntervalMs: interval) == .finished(.accepted))
        #expect(delivery.state == .delivered(.accepted))
        #expect(delivery.attempts == 1)
    }

    @Test func pendingRejectedWhileAllowedBecomesDeliveredRejected() {
        var delivery = CallbackDelivery(maxAttempts: 5, canReject: true, firstAttemptAtMs: 0)
        #expect(delivery.record(.rejected, nowMs: 10, retryIntervalMs: interval) == .finished(.rejected))
        #expect(delivery.state == .delivered(.rejected))
    }

    @Test func rejectionWithoutCanRejectFieldCountsAsAccepted() {
        var delivery = CallbackDelivery(maxAttempts: 5, canReject: nil, firstAttemptAtMs: 0)
        #expect(delivery.record(.rejected, nowMs: 10, retryIntervalMs: interval) == .finished(.accepted))
    }

    @Test func failureSchedulesRetryAndRevokesTheRightToReject() {
        var delivery = CallbackDelivery(maxAttempts: 5, canReject: true, firstAttemptAtMs: 0)
        #expect(delivery.record(.failed("HTTP 503"), nowMs: 1_000, retryIntervalMs: interval) == .retry(atMs: 1_000 + interval))
        #expect(delivery.state == .pending)
        #expect(delivery.canReject == false)
        #expect(delivery.nextAttemptAtMs == 1_000 + interval)
        #expect(delivery.lastError == "HTTP 503")
        // A refusal after a failed attempt is not honoured.
        #expect(delivery.record(.rejected, nowMs: 2_000, retryIntervalMs: interval) == .finished(.accepted))
        #expect(delivery.state == .delivered(.accepted))
        #expect(delivery.attempts == 2)
    }

    @Test func failureWithoutCanRejectFieldKeepsItAbsent() {
        var delivery = CallbackDelivery(maxAttempts: 2, canReject: nil, firstAttemptAtMs: 0)
        _ = delivery.record(.failed("timeout"), nowMs: 0, retryIntervalMs: interval)
        #expect(delivery.canReject == nil)
    }

    @Test func lastFailedAttemptExhaustsTheDelivery() {
        var delivery = CallbackDelivery(maxAttempts: 3, canReject: true, firstAttemptAtMs: 0)
        #expect(delivery.record(.failed("a"), nowMs: 0, retryIntervalMs: interval) == .retry(atMs: interval))
        #expect(delivery.record(.failed("b"), nowMs: interval, retryIntervalMs: interval) == .retry(atMs: 2 * interval))
        #expect(delivery.record(.failed("c"), nowMs: 2 * interval, retryIntervalMs: interval) == .givenUp)
        #expect(delivery.state == .exhausted)
        #expect(delivery.attempts == 3)
    }

    @Test func finishedDeliveriesIgnoreFurtherOutcomes() {
        var delivered = CallbackDelivery(maxAttempts: 3, canReject: true, firstAttemptAtMs: 0)
        _ = delivered.record(.ok, nowMs: 0, retryIntervalMs: interval)
        #expect(delivered.record(.failed("late"), nowMs: 1, retryIntervalMs: interval) == .alreadyFinished)
        #expect(delivered.state == .delivered(.accepted))
        #expect(delivered.attempts == 1)

        var exhausted = CallbackDelivery(maxAttempts: 1, canReject: nil, firstAttemptAtMs: 0)
        #expect(exhausted.record(.failed("x"), nowMs: 0, retryIntervalMs: interval) == .givenUp)
        #expect(exhausted.record(.ok, nowMs: 1, retryIntervalMs: interval) == .alreadyFinished)
        #expect(exhausted.state == .exhausted)
    }

    @Test func storageNamesRoundTrip() {
        for state in [CallbackDelivery.State.pending, .delivered(.accepted), .delivered(.rejected), .exhausted] {
            #expect(CallbackDelivery.State(storageName: state.storageName) == state)
        }
        #expect(CallbackDelivery.State(storageName: "bogus") == nil)
    }
}
