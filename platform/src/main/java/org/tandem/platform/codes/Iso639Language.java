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

/** An ISO 639-3 language code in lower case, such as {@code eng}, {@code pcm} or {@code bin}. Null is valid. */
@Documented
@Constraint(validatedBy = Iso639Language.Validator.class)
@Target({
    ElementType.FIELD,
    ElementType.PARAMETER,
    ElementType.RECORD_COMPONENT,
    ElementType.TYPE_USE,
    ElementType.METHOD
})
@Retention(RetentionPolicy.RUNTIME)
public @interface Iso639Language {
    String message() default "must be an ISO 639-3 language code such as eng, pcm or bin";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<Iso639Language, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || IsoCodes.isLanguage(value);
        }
    }
}
