package org.tandem.registry.rest;

import java.util.List;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import org.tandem.platform.problem.Problem;
import org.tandem.platform.problem.ProblemException;
import org.tandem.platform.problem.ProblemMappers;
import org.tandem.registry.domain.AlreadyRegisteredException;
import org.tandem.registry.domain.IllegalMembershipTransitionException;
import org.tandem.registry.domain.InvalidFieldException;
import org.tandem.registry.domain.KidReusedException;
import org.tandem.registry.domain.NotFoundException;
import org.tandem.registry.domain.RegistryException;

/**
 * The one place where what the registry refuses ({@link RegistryException}, by type) becomes a problem document
 * (platform {@link ProblemMappers}); nothing here reads an exception's message, except the domain's own words for a
 * field at fault.
 */
public class RegistryProblems {

    @ServerExceptionMapper
    public Response refused(RegistryException e) {
        return ProblemMappers.response(problem(e));
    }

    static Problem problem(RegistryException e) {
        return switch (e) {
            case InvalidFieldException f ->
                ProblemException.invalidField(f.field(), f.getMessage()).problem();
            case NotFoundException n -> ProblemException.notFound(n.what()).problem();
            case AlreadyRegisteredException a ->
                ProblemException.conflict(
                                "already-registered",
                                "Your organisation is already registered. Update its profile with PUT instead.")
                        .problem();
            case IllegalMembershipTransitionException t ->
                ProblemException.conflict(
                                "illegal-membership-transition",
                                "An organisation that is " + t.from() + " cannot be " + t.verb() + ".")
                        .problem();
            case KidReusedException k ->
                Problem.of(
                                409,
                                "kid-reused",
                                "Key id already used",
                                "A kid is used once and never again. Give the new key a new kid.")
                        .withErrors(List.of(new Problem.FieldError(k.field(), "was used before")));
        };
    }
}
