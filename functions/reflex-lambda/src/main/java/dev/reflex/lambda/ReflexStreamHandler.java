package dev.reflex.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import io.quarkus.funqy.lambda.FunqyLambdaBindingRecorder;
import io.quarkus.funqy.lambda.FunqyStreamHandler;
import io.quarkus.funqy.runtime.ApplicationException;
import io.quarkus.runtime.Quarkus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The Lambda handler of every Reflex function: Funqy's own, except that a function's exception
 * leaves it as itself. Funqy wraps whatever a {@code @Funq} method throws in its
 * {@link ApplicationException}, so with {@link FunqyStreamHandler} every error reached Step
 * Functions as {@code io.quarkus.funqy.runtime.ApplicationException} and no {@code Retry} or
 * {@code Catch} naming a Reflex exception ever matched.
 */
public class ReflexStreamHandler extends FunqyStreamHandler {

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    Quarkus.manualStart();
    handle(input, output, context);
  }

  /** The invocation once Quarkus runs; what {@link #handleRequest} throws is what the Lambda runtime reports. */
  static void handle(InputStream input, OutputStream output, Context context) throws IOException {
    try {
      FunqyLambdaBindingRecorder.handle(input, output, context);
    } catch (ApplicationException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }
}
