import { VirtualTime } from '../../../scripts/sim/virtual-time';

describe('virtual time', () => {
  it('jumps to each timer in order and runs the code between them', async () => {
    const time = new VirtualTime(0);
    const seen: string[] = [];
    const work = async (name: string, ms: number) => {
      await time.sleep(ms);
      seen.push(`${name}@${time.ms()}`);
    };
    await time.run(Promise.all([work('b', 2_000), work('a', 1_000), work('c', 2_000)]));
    expect(seen).toEqual(['a@1000', 'b@2000', 'c@2000']);
    expect(time.now().getTime()).toBe(2_000);
  });

  it('lets an hour pass without waiting for it', async () => {
    const time = new VirtualTime(0);
    const started = Date.now();
    await time.run(
      (async () => {
        for (let i = 0; i < 3_600; i++) await time.sleep(1_000);
      })(),
    );
    expect(time.ms()).toBe(3_600_000);
    expect(Date.now() - started).toBeLessThan(3_600_000);
  });

  it('passes on the error of the work it runs', async () => {
    const time = new VirtualTime(0);
    const failing = (async () => {
      await time.sleep(10);
      throw new Error('boom');
    })();
    await expect(time.run(failing)).rejects.toThrow('boom');
  });

  it('fails when the work waits on something that is not a timer', async () => {
    const time = new VirtualTime(0);
    await expect(time.run(new Promise<void>(() => undefined))).rejects.toThrow('simulation stalled');
  });
});
