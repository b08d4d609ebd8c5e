package dev.edgeinfer.schemas.manifest;

import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import java.util.HashMap;
import java.util.Map;

/**
 * Lets one reading of a manifest go on past an enum value it does not know: the field is read as {@code null} and
 * the value kept under its JSON pointer, so that validation reports it with every other problem, as written.
 */
final class UnknownValues extends DeserializationProblemHandler {
    private final Map<String, String> byPointer = new HashMap<>();

    @Override
    public Object handleWeirdStringValue(DeserializationContext context, Class<?> targetType, String value,
                                         String failureMessage) {
        return unknown(context, targetType, '"' + value + '"');
    }

    @Override
    public Object handleWeirdNumberValue(DeserializationContext context, Class<?> targetType, Number value,
                                         String failureMessage) {
        return unknown(context, targetType, String.valueOf(value));
    }

    private Object unknown(DeserializationContext context, Class<?> targetType, String value) {
        if (!targetType.isEnum()) {
            return NOT_HANDLED;
        }
        byPointer.put(context.getParser().getParsingContext().pathAsPointer().toString(), value);
        return null;
    }

    /**
     * @param pointer a JSON pointer such as {@code /artifacts/2/precision}
     * @return the value there that matched no enum constant, as written in the file; {@code null} if none
     */
    String valueAt(String pointer) {
        return byPointer.get(pointer);
    }
}
