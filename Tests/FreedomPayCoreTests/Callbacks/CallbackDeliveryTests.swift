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

@Suite struct CallbackReplyTests {
    static let url = "https://shop.example/pay/result"

    @Test func signedRepliesMapToOutcomes() {
        // V6 of merchant-api.md §1.3: the reply to a Result notify at .../result.
        let ok = "<response><pg_status>ok</pg_status><pg_description>Order accepted</pg_description><pg_salt>Qw12Er</pg_salt><pg_sig>6ab4da95516bcccd360435bcaeceb11b</pg_sig></response>"
        #expect(CallbackReply.parse(httpStatus: 200, body: Array(ok.utf8), callbackURL: Self.url, secret: "Sup3rSecret").outcome == .ok)
        #expect(CallbackReply.parse(httpStatus: 200, body: Array(ok.utf8), callbackURL: Self.url, secret: "wrong").outcome
                == .failed("reply pg_sig does not verify"))
        #expect(CallbackReply.parse(httpStatus: 500, body: Array(ok.utf8), callbackURL: Self.url, secret: "Sup3rSecret").outcome
                == .failed("merchant answered HTTP 500"))
        #expect(CallbackReply.parse(httpStatus: 200, body: Array("not xml".utf8), callbackURL: Self.url, secret: "Sup3rSecret").outcome
                == .failed("reply is not an XML document"))
    }

    @Test func payoutNotifyNeedsOnlyHTTP200() {
        #expect(!CallbackKind.payout.requiresSignedReply && CallbackKind.result.requiresSignedReply)
        #expect(CallbackReply.parse(httpStatus: 200, body: Array("OK".utf8), callbackURL: Self.url, secret: "s", requireBody: false).outcome == .ok)
        #expect(CallbackReply.parse(httpStatus: 503, body: [], callbackURL: Self.url, secret: "s", requireBody: false).outcome
                == .failed("merchant answered HTTP 503"))
    }
}
