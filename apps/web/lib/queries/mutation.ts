// A mutation that, once it succeeds, invalidates every query under a key prefix.
import { useMutation, useQueryClient } from '@tanstack/react-query';

export function useInvalidatingMutation<TInput, TResult>(mutationFn: (input: TInput) => Promise<TResult>, invalidates: readonly unknown[]) {
  const client = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => client.invalidateQueries({ queryKey: invalidates }) });
}
