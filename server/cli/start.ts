/** `fedlab start` — placeholder replaced below. */
export const startCommand = {
  summary: 'start the lab',
  usage: 'fedlab start',
  async run(): Promise<number> {
    return 0;
  },
};
