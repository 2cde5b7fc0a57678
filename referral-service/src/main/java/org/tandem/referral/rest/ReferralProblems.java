package org.tandem.referral.rest;

import java.util.List;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import org.tandem.platform.problem.Problem;
import org.tandem.platform.problem.ProblemException;
import org.tandem.platform.problem.ProblemMappers;
import org.tandem.referral.domain.ReferralException;

/**
 * The one place where the referral rules' refusals become RFC 9457 problems (docs/api.md). Each kind of
 * {@link ReferralException} has exactly one status and problem type; the exception's message is the detail.
 */
public class ReferralProblems {

    @ServerExceptionMapper
    public Response refused(ReferralException e) {
        return ProblemMappers.response(problem(e));
    }

    static Problem problem(ReferralException e) {
        return switch (e) {
            case ReferralException.NotFound n ->
                ProblemException.notFound(n.what()).problem();
            case ReferralException.NotAllowed n ->
                ProblemException.forbidden(n.getMessage()).problem();
            case ReferralException.IllegalTransition t ->
                ProblemException.conflict("illegal-transition", t.getMessage()).problem();
            case ReferralException.Conflict c ->
                ProblemException.conflict(c.code(), c.getMessage()).problem();
            case ReferralException.InvalidField f ->
                ProblemException.invalidField(f.field(), f.reason()).problem();
            case ReferralException.ConsentRequired c ->
                Problem.of(422, "consent-required", "Valid consent is required", c.getMessage())
                        .withErrors(List.of(new Problem.FieldError(c.field(), c.reason())));
            case ReferralException.Unprocessable u ->
                ProblemException.unprocessable(u.code(), u.getMessage())
                        .problem()
                        .withErrors(List.of(new Problem.FieldError(u.field(), u.reason())));
            case ReferralException.TooLarge t ->
                Problem.of(413, "payload-too-large", "Request too large", t.getMessage())
                        .withLimit(t.limit(), t.max());
            case ReferralException.CaseFileDestroyed d ->
                Problem.of(410, "case-file-destroyed", "The case file no longer exists", d.getMessage());
        };
    }
}
