package org.tandem.platform.codes;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** An ISO 3166-1 alpha-2 country code in upper case, such as {@code CY}. Null is valid; add {@code @NotNull}. */
@Documented
@Constraint(validatedBy = Iso3166Country.Validator.class)
@Target({
    ElementType.FIELD,
    ElementType.PARAMETER,
    ElementType.RECORD_COMPONENT,
    ElementType.TYPE_USE,
    ElementType.METHOD
})
@Retention(RetentionPolicy.RUNTIME)
public @interface Iso3166Country {
    String message() default "must be an ISO 3166-1 alpha-2 country code such as CY or DE";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<Iso3166Country, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || IsoCodes.isCountry(value);
        }
    }
}
