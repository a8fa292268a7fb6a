<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>App</name>
    <message>
        <location filename="../ui/app.py" line="60"/>
        <source>{error} Conversations in this session will not be saved until the database is recovered.</source>
        <translation>{error} 在恢复数据库之前，本次会话中的对话将不会被保存。</translation>
    </message>
    <message>
        <location filename="../ui/app.py" line="67"/>
        <source>{error} Conversations in this session will not be saved. Set HEARTH_DATA_DIR to a writable folder or fix the permissions, then restart.</source>
        <translation>{error} 本次会话中的对话将不会被保存。请将 HEARTH_DATA_DIR 设为可写入的文件夹或修正权限，然后重新启动。</translation>
    </message>
</context>
<context>
    <name>AskPanel</name>
    <message>
        <location filename="../ui/summarize/ask_panel.py" line="35"/>
        <source>Ask something every page should be read for, e.g. “list every deadline”</source>
        <translation>提一个需要读完每一页才能回答的问题，例如“列出所有截止日期”</translation>
    </message>
    <message>
        <location filename="../ui/summarize/ask_panel.py" line="32"/>
        <source>Ask</source>
        <translation>提问</translation>
    </message>
    <message>
        <location filename="../ui/summarize/ask_panel.py" line="37"/>
        <source>Document</source>
        <translation>文档</translation>
    </message>
    <message>
        <location filename="../ui/summarize/ask_panel.py" line="37"/>
        <source>Answer</source>
        <translation>回答</translation>
    </message>
    <message>
        <location filename="../ui/summarize/ask_panel.py" line="37"/>
        <source>Read</source>
        <translation>已读</translation>
    </message>
    <message>
        <location filename="../ui/summarize/ask_panel.py" line="46"/>
        <source>Click a citation such as [1] to see the passage it stands for.</source>
        <translation>点击 [1] 这样的引用，即可查看它对应的段落。</translation>
    </message>
    <message>
        <location filename="../ui/summarize/ask_panel.py" line="79"/>
        <source>Add a document or a folder to ask about first.</source>
        <translation>请先添加要提问的文档或文件夹。</translation>
    </message>
    <message>
        <location filename="../ui/summarize/ask_panel.py" line="100"/>
        <source>Cancelling… the answers so far are kept.</source>
        <translation>正在取消…已有的回答会保留。</translation>
    </message>
    <message>
        <location filename="../ui/summarize/ask_panel.py" line="139"/>
        <source>{n} citation(s) not found in their passage were removed</source>
        <translation>已删除 {n} 条在其段落中找不到的引用</translation>
    </message>
    <message>
        <location filename="../ui/summarize/ask_panel.py" line="141"/>
        <source>cancelled: the findings so far are kept</source>
        <translation>已取消：已找到的内容会保留</translation>
    </message>
</context>
<context>
    <name>BlindVoteDialog</name>
    <message>
        <location filename="../ui/evaluate/vote_dialog.py" line="21"/>
        <source>Blind vote</source>
        <translation>盲评</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/vote_dialog.py" line="24"/>
        <source>Model {n}</source>
        <translation>模型 {n}</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/vote_dialog.py" line="36"/>
        <source>A is better</source>
        <translation>A 更好</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/vote_dialog.py" line="36"/>
        <source>B is better</source>
        <translation>B 更好</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/vote_dialog.py" line="37"/>
        <source>Tie</source>
        <translation>平局</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/vote_dialog.py" line="38"/>
        <source>Finish and show names</source>
        <translation>结束并显示模型名称</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/vote_dialog.py" line="46"/>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/vote_dialog.py" line="46"/>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/vote_dialog.py" line="69"/>
        <source>Item {item} ({done} of {total}): {prompt}</source>
        <translation>第 {item} 项（已完成 {done}/{total}）：{prompt}</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/vote_dialog.py" line="89"/>
        <source>{name}: rating {rating:.0f}, wins {rate:.0f} % ({low:.0f}–{high:.0f} %) of {n} votes</source>
        <translation>{name}：评分 {rating:.0f}，在 {n} 票中胜率 {rate:.0f}%（{low:.0f}–{high:.0f}%）</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/vote_dialog.py" line="97"/>
        <source>The names, with all {n} votes on this run:</source>
        <translation>模型名称，以及本次运行的全部 {n} 票：</translation>
    </message>
</context>
<context>
    <name>ChatPane</name>
    <message>
        <location filename="../ui/chat/pane.py" line="70"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="155"/>
        <source>Stop the current reply before starting a new conversation.</source>
        <translation>请先停止当前回复，再开始新对话。</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="160"/>
        <location filename="../ui/chat/pane.py" line="176"/>
        <source>New conversation</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="170"/>
        <source>Stop the current reply before switching conversations.</source>
        <translation>请先停止当前回复，再切换对话。</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="197"/>
        <source>Stop the reply before deleting this conversation.</source>
        <translation>请先停止回复，再删除此对话。</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="200"/>
        <source>this conversation</source>
        <translation>此对话</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="202"/>
        <source>Delete conversation</source>
        <translation>删除对话</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="202"/>
        <source>Delete “{title}”? This cannot be undone.</source>
        <translation>删除“{title}”？此操作无法撤销。</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="226"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="226"/>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="229"/>
        <source>Export conversation</source>
        <translation>导出对话</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="277"/>
        <source>Stop the reply before reloading the model.</source>
        <translation>请先停止回复，再重新加载模型。</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="282"/>
        <source>Could not save settings: {error}</source>
        <translation>无法保存设置：{error}</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="293"/>
        <source>Loading {name}…</source>
        <translation>正在加载 {name}…</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="302"/>
        <source>{ctx} tokens of context</source>
        <translation>上下文 {ctx} token</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="306"/>
        <source>This model has no chat template; Hearth uses a generic (ChatML) one.</source>
        <translation>此模型没有聊天模板；Hearth 将使用通用模板（ChatML）。</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="308"/>
        <source>Running on the GPU</source>
        <translation>正在 GPU 上运行</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="310"/>
        <source>Runs on {server}</source>
        <translation>运行于 {server}</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="317"/>
        <source>Not loaded</source>
        <translation>未加载</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="318"/>
        <source>Choose another model in Settings.</source>
        <translation>请在“设置”中选择其他模型。</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="329"/>
        <source>A reply is still being written. Stop it or wait for it to finish.</source>
        <translation>回复仍在生成中。请停止它或等待其完成。</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="332"/>
        <source>Type a message first.</source>
        <translation>请先输入消息。</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="387"/>
        <source>Thinking…</source>
        <translation>思考中…</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="418"/>
        <source>This conversation is longer than the model&apos;s context: the {n} oldest messages were left out of this reply (the system prompt was kept).</source>
        <translation>此对话超出了模型的上下文长度：本次回复未包含最早的 {n} 条消息（系统提示词已保留）。</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="424"/>
        <source>The reply stopped because the model&apos;s context is full.</source>
        <translation>模型的上下文已满，回复已停止。</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="449"/>
        <source>The disk is full: this reply is shown but was not saved. Free some space to keep the next ones.</source>
        <translation>磁盘已满：此回复已显示，但未保存。请释放一些空间，以便保存之后的回复。</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="468"/>
        <source>{tps:.1f} tokens/s · first token {ttft:.2f} s · context {used} / {ctx} tokens</source>
        <translation>{tps:.1f} token/秒 · 首个 token {ttft:.2f} 秒 · 上下文 {used} / {ctx} token</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="472"/>
        <source> · speculative: {rate:.1f} tokens/step</source>
        <translation> · 推测解码：每步 {rate:.1f} 个 token</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="482"/>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
</context>
<context>
    <name>ChatSettingsPanel</name>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="29"/>
        <source>The model that answers in this conversation</source>
        <translation>在此对话中回答的模型</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="33"/>
        <source>Optional: how the assistant should behave</source>
        <translation>可选：助手应如何表现</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="35"/>
        <source>0 = always the most likely word (deterministic)</source>
        <translation>0 = 总是选择可能性最高的词（结果确定）</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="36"/>
        <source>Sample only from the most likely words that add up to this share</source>
        <translation>只从累计概率达到此比例的最可能词中采样</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="37"/>
        <source>Sample only from this many most likely words (0 = all)</source>
        <translation>只从这么多个最可能的词中采样（0 = 全部）</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="38"/>
        <source>Discourage repeating recent words (1 = off)</source>
        <translation>抑制重复最近用过的词（1 = 关闭）</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="39"/>
        <source>Longest reply, in tokens</source>
        <translation>回复的最大长度（token 数）</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="40"/>
        <source>-1 = random each time; a fixed seed repeats replies</source>
        <translation>-1 = 每次随机；固定种子会得到相同的回复</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="41"/>
        <source>Tokens the model can see at once; capped by the model</source>
        <translation>模型一次能看到的 token 数；不超过模型本身的上限</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="46"/>
        <source>Layers to run on the GPU: auto = all when this build supports a GPU, 0 = CPU only</source>
        <translation>在 GPU 上运行的层数：auto = 此版本支持 GPU 时全部放到 GPU，0 = 仅用 CPU</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="47"/>
        <source>CPU threads (0 = one per physical core)</source>
        <translation>CPU 线程数（0 = 每个物理核心一个）</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="48"/>
        <source>Apply and reload model</source>
        <translation>应用并重新加载模型</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="50"/>
        <source>Reset to defaults</source>
        <translation>恢复默认值</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="53"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="55"/>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="56"/>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="57"/>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="58"/>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="59"/>
        <source>Repeat penalty</source>
        <translation>重复惩罚</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="60"/>
        <source>Max tokens</source>
        <translation>最大 token 数</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="61"/>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="63"/>
        <source>Context length</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="64"/>
        <source>GPU layers</source>
        <translation>GPU 层数</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="65"/>
        <source>CPU threads</source>
        <translation>CPU 线程数</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="69"/>
        <source>&lt;b&gt;Model loading&lt;/b&gt; (all conversations)</source>
        <translation>&lt;b&gt;模型加载&lt;/b&gt;（所有对话）</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="97"/>
        <source>{name} (missing)</source>
        <translation>{name}（缺失）</translation>
    </message>
</context>
<context>
    <name>ClassifyPane</name>
    <message>
        <location filename="../ui/classify/pane.py" line="58"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../ui/classify/pane.py" line="58"/>
        <source>Top label</source>
        <translation>最可能的标签</translation>
    </message>
    <message>
        <location filename="../ui/classify/pane.py" line="58"/>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <location filename="../ui/classify/pane.py" line="58"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../ui/classify/pane.py" line="80"/>
        <source>Labels kept per image (applies to the next images)</source>
        <translation>每张图片保留的标签数（对之后的图片生效）</translation>
    </message>
    <message>
        <location filename="../ui/classify/pane.py" line="82"/>
        <source>Top-k:</source>
        <translation>Top-k：</translation>
    </message>
    <message>
        <location filename="../ui/classify/pane.py" line="88"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../ui/classify/pane.py" line="89"/>
        <source>Export JSON…</source>
        <translation>导出 JSON…</translation>
    </message>
    <message>
        <location filename="../ui/classify/pane.py" line="132"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../ui/classify/pane.py" line="132"/>
        <source>JSON files (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <location filename="../ui/classify/pane.py" line="133"/>
        <source>Export results</source>
        <translation>导出结果</translation>
    </message>
</context>
<context>
    <name>CompareDialog</name>
    <message>
        <location filename="../ui/evaluate/compare_view.py" line="25"/>
        <source>Two evaluations side by side</source>
        <translation>并排比较两次评估</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/compare_view.py" line="29"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/compare_view.py" line="29"/>
        <source>Measure</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/compare_view.py" line="29"/>
        <source>First</source>
        <translation>第一份</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/compare_view.py" line="29"/>
        <source>Second</source>
        <translation>第二份</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/compare_view.py" line="30"/>
        <source>Second / first</source>
        <translation>第二份 / 第一份</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/compare_view.py" line="37"/>
        <source>First: {first}
Second: {second}</source>
        <translation>第一份：{first}
第二份：{second}</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../ui/chat/composer.py" line="29"/>
        <source>Message the assistant (Enter to send, Shift+Enter for a new line)</source>
        <translation>给助手发消息（Enter 发送，Shift+Enter 换行）</translation>
    </message>
    <message>
        <location filename="../ui/chat/composer.py" line="32"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location filename="../ui/chat/composer.py" line="35"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../ui/chat/composer.py" line="36"/>
        <source>Stop the reply (Esc)</source>
        <translation>停止回复（Esc）</translation>
    </message>
    <message>
        <location filename="../ui/chat/composer.py" line="68"/>
        <source>Editing a sent message: Send replaces it and everything after it. Esc cancels.</source>
        <translation>正在编辑已发送的消息：点“发送”会替换它及其后的所有内容。按 Esc 取消。</translation>
    </message>
</context>
<context>
    <name>ConversationSidebar</name>
    <message>
        <location filename="../ui/chat/sidebar.py" line="34"/>
        <source>New chat</source>
        <translation>新聊天</translation>
    </message>
    <message>
        <location filename="../ui/chat/sidebar.py" line="35"/>
        <source>Start a new conversation (Ctrl+N)</source>
        <translation>开始新对话（Ctrl+N）</translation>
    </message>
    <message>
        <location filename="../ui/chat/sidebar.py" line="38"/>
        <source>Search conversations</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <location filename="../ui/chat/sidebar.py" line="62"/>
        <source>New conversation</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../ui/chat/sidebar.py" line="88"/>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <location filename="../ui/chat/sidebar.py" line="89"/>
        <source>Export as Markdown…</source>
        <translation>导出为 Markdown…</translation>
    </message>
    <message>
        <location filename="../ui/chat/sidebar.py" line="90"/>
        <source>Export as JSON…</source>
        <translation>导出为 JSON…</translation>
    </message>
    <message>
        <location filename="../ui/chat/sidebar.py" line="92"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>DetectPane</name>
    <message>
        <location filename="../ui/detect/pane.py" line="30"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="30"/>
        <source>Objects</source>
        <translation>目标数</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="30"/>
        <source>Classes</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="30"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="38"/>
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="40"/>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="42"/>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="67"/>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="70"/>
        <source>IoU (NMS)</source>
        <translation>IoU (NMS)</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="73"/>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="87"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="87"/>
        <source>Export JSON…</source>
        <translation>导出 JSON…</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="87"/>
        <source>Export COCO…</source>
        <translation>导出 COCO…</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="92"/>
        <source>Save annotated…</source>
        <translation>保存标注图片…</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="113"/>
        <source>All classes</source>
        <translation>所有类别</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="231"/>
        <source>{name}: {n} objects ({w}×{h})</source>
        <translation>{name}：{n} 个目标（{w}×{h}）</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="263"/>
        <source>Pasted images are not saved as files; export them as JSON instead.</source>
        <translation>粘贴的图片不会保存为文件；请改为导出 JSON。</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="267"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="267"/>
        <source>JSON files (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="267"/>
        <source>COCO JSON (*.json)</source>
        <translation>COCO JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="268"/>
        <source>Export detections</source>
        <translation>导出检测结果</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="273"/>
        <source>Save annotated images to</source>
        <translation>将标注后的图片保存到</translation>
    </message>
</context>
<context>
    <name>DocumentInputs</name>
    <message>
        <location filename="../ui/summarize/inputs.py" line="18"/>
        <source>Add files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <location filename="../ui/summarize/inputs.py" line="19"/>
        <source>Add folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <location filename="../ui/summarize/inputs.py" line="20"/>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <location filename="../ui/summarize/inputs.py" line="29"/>
        <source>Documents and folders to read; drop more here.</source>
        <translation>要读取的文档和文件夹；可将更多文件拖放到这里。</translation>
    </message>
    <message>
        <location filename="../ui/summarize/inputs.py" line="55"/>
        <source>Add documents</source>
        <translation>添加文档</translation>
    </message>
    <message>
        <location filename="../ui/summarize/inputs.py" line="55"/>
        <source>Documents (*.pdf *.docx *.html *.htm *.txt *.md)</source>
        <translation>文档 (*.pdf *.docx *.html *.htm *.txt *.md)</translation>
    </message>
    <message>
        <location filename="../ui/summarize/inputs.py" line="60"/>
        <source>Add a folder of documents</source>
        <translation>添加文档文件夹</translation>
    </message>
</context>
<context>
    <name>DocumentSource</name>
    <message>
        <location filename="../ui/summarize/source.py" line="10"/>
        <source>Documents (*.pdf *.docx *.html *.htm *.txt *.md *.markdown);;All files (*)</source>
        <translation>文档 (*.pdf *.docx *.html *.htm *.txt *.md *.markdown);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../ui/summarize/source.py" line="20"/>
        <source>Open document…</source>
        <translation>打开文档…</translation>
    </message>
    <message>
        <location filename="../ui/summarize/source.py" line="22"/>
        <source>or drop a PDF, DOCX, HTML, TXT or Markdown file here, or paste text below</source>
        <translation>或将 PDF、DOCX、HTML、TXT 或 Markdown 文件拖到这里，或在下方粘贴文本</translation>
    </message>
    <message>
        <location filename="../ui/summarize/source.py" line="24"/>
        <source>No document yet.</source>
        <translation>尚未打开文档。</translation>
    </message>
    <message>
        <location filename="../ui/summarize/source.py" line="31"/>
        <source>Paste text to summarize…</source>
        <translation>粘贴要摘要的文本…</translation>
    </message>
    <message>
        <location filename="../ui/summarize/source.py" line="49"/>
        <source>Open a document to summarize</source>
        <translation>打开要摘要的文档</translation>
    </message>
</context>
<context>
    <name>DocumentsPane</name>
    <message>
        <location filename="../ui/summarize/documents_pane.py" line="38"/>
        <source>Summarize</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location filename="../ui/summarize/documents_pane.py" line="39"/>
        <source>Ask</source>
        <translation>提问</translation>
    </message>
    <message>
        <location filename="../ui/summarize/documents_pane.py" line="40"/>
        <source>Extract</source>
        <translation>提取</translation>
    </message>
    <message>
        <location filename="../ui/summarize/documents_pane.py" line="41"/>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <location filename="../ui/summarize/reading_job.py" line="37"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../ui/summarize/reading_job.py" line="56"/>
        <source>Cancelling… what was read so far is kept.</source>
        <translation>正在取消…已读取的内容会保留。</translation>
    </message>
    <message>
        <location filename="../ui/summarize/reading_job.py" line="72"/>
        <source>Loading {model}…</source>
        <translation>正在加载 {model}…</translation>
    </message>
    <message>
        <location filename="../ui/summarize/reading_job.py" line="91"/>
        <source>{n} document(s) read</source>
        <translation>已读取 {n} 个文档</translation>
    </message>
    <message>
        <location filename="../ui/summarize/reading_job.py" line="93"/>
        <source> · {n} could not be read</source>
        <translation> · {n} 个无法读取</translation>
    </message>
    <message>
        <location filename="../ui/summarize/reading_job.py" line="95"/>
        <source> · cancelled</source>
        <translation> · 已取消</translation>
    </message>
    <message>
        <location filename="../ui/summarize/reading_job.py" line="148"/>
        <source>pages</source>
        <translation>页</translation>
    </message>
    <message>
        <location filename="../ui/summarize/reading_job.py" line="150"/>
        <source>parts</source>
        <translation>部分</translation>
    </message>
    <message>
        <location filename="../ui/summarize/reading_job.py" line="151"/>
        <source>{name}: read {done} of {total} {unit}</source>
        <translation>{name}：已读 {done}/{total} {unit}</translation>
    </message>
    <message>
        <location filename="../ui/summarize/reading_job.py" line="155"/>
        <source> · about {time} left</source>
        <translation> · 大约还剩 {time}</translation>
    </message>
</context>
<context>
    <name>DownloadDialog</name>
    <message>
        <location filename="../ui/models/download_dialog.py" line="41"/>
        <source>Download a model</source>
        <translation>下载模型</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="58"/>
        <source>Repository:</source>
        <translation>仓库：</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="59"/>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="63"/>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="64"/>
        <source>Suggested</source>
        <translation>推荐</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="65"/>
        <source>Hugging Face</source>
        <translation>Hugging Face</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="66"/>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="68"/>
        <source>optional; Hugging Face files are checked against the Hub&apos;s own hash</source>
        <translation>可选；Hugging Face 上的文件会用 Hub 提供的哈希值校验</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="69"/>
        <source>optional; the file name by default</source>
        <translation>可选；默认为文件名</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="71"/>
        <source>sha256:</source>
        <translation>sha256：</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="72"/>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="75"/>
        <source>Downloads go to the model library; nothing else is sent anywhere.</source>
        <translation>下载的文件存入模型库；不会向任何地方发送其他数据。</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="77"/>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="78"/>
        <location filename="../ui/models/download_dialog.py" line="130"/>
        <location filename="../ui/models/download_dialog.py" line="137"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="79"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="80"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="119"/>
        <source>Choose a suggested model, or fill in a repository and file, or an address.</source>
        <translation>请选择推荐的模型，或填写仓库和文件，或填写地址。</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="131"/>
        <location filename="../ui/models/download_dialog.py" line="156"/>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="140"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="146"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="157"/>
        <source>Downloading</source>
        <translation>正在下载</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="158"/>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="159"/>
        <source>Checking sha256…</source>
        <translation>正在校验 sha256…</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="160"/>
        <source>Checking the model file…</source>
        <translation>正在检查模型文件…</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="161"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="165"/>
        <source> · {speed} MB/s · {eta} left</source>
        <translation> · {speed} MB/s · 剩余 {eta}</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="167"/>
        <source> · from {host}</source>
        <translation> · 来自 {host}</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="173"/>
        <source>&apos;{name}&apos; was added to the library.</source>
        <translation>已将“{name}”添加到模型库。</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="179"/>
        <source>Cancelled. Nothing was added.</source>
        <translation>已取消。未添加任何内容。</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="184"/>
        <source>Not downloaded.</source>
        <translation>未下载。</translation>
    </message>
</context>
<context>
    <name>EncryptOfferBar</name>
    <message>
        <location filename="../ui/workspace/offer_bar.py" line="19"/>
        <source>Encrypt…</source>
        <translation>加密…</translation>
    </message>
    <message>
        <location filename="../ui/workspace/offer_bar.py" line="24"/>
        <source>Encrypt my conversations, summaries and results? With a passphrase, a lost laptop or another account on this computer cannot read them. You can do it later in the Privacy menu.</source>
        <translation>要加密你的对话、摘要和结果吗？设置密码短语后，即使笔记本电脑丢失，或本机上的其他账户，也无法读取它们。你也可以稍后在“隐私”菜单中加密。</translation>
    </message>
</context>
<context>
    <name>EngineWaitNotice</name>
    <message>
        <location filename="../ui/widgets/engine_wait.py" line="44"/>
        <source>Summarize is using the model; your reply starts when it finishes.</source>
        <translation>“摘要”正在使用模型；它完成后才会开始生成你的回复。</translation>
    </message>
    <message>
        <location filename="../ui/widgets/engine_wait.py" line="45"/>
        <source>Cancel summary</source>
        <translation>取消摘要</translation>
    </message>
    <message>
        <location filename="../ui/widgets/engine_wait.py" line="47"/>
        <source>Chat is writing a reply with the model; the summary starts when it finishes.</source>
        <translation>“聊天”正在用模型生成回复；回复完成后才会开始生成摘要。</translation>
    </message>
    <message>
        <location filename="../ui/widgets/engine_wait.py" line="48"/>
        <source>Stop reply</source>
        <translation>停止回复</translation>
    </message>
    <message>
        <location filename="../ui/widgets/engine_wait.py" line="55"/>
        <source>Stopping the other task…</source>
        <translation>正在停止另一项任务…</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../ui/workers.py" line="198"/>
        <source>The computer ran out of memory. Close other programs or use a smaller model.</source>
        <translation>内存不足。请关闭其他程序，或使用更小的模型。</translation>
    </message>
    <message>
        <location filename="../ui/workers.py" line="200"/>
        <source>The disk is full. Free some space and try again.</source>
        <translation>磁盘已满。请释放一些空间后重试。</translation>
    </message>
    <message>
        <location filename="../ui/workers.py" line="201"/>
        <source>Something went wrong: {kind}: {error}. Details are in the log file.</source>
        <translation>出现错误：{kind}: {error}。详细信息见日志文件。</translation>
    </message>
</context>
<context>
    <name>EvaluateNotes</name>
    <message>
        <location filename="../core/evaluate/machine.py" line="179"/>
        <source>Other programs used {percent:.0f}% of the CPU during this measurement; figures are lower than on an idle machine.</source>
        <translation>测量期间其他程序占用了 {percent:.0f}% 的 CPU；结果低于空闲时的机器。</translation>
    </message>
</context>
<context>
    <name>EvaluatePane</name>
    <message>
        <location filename="../ui/evaluate/pane.py" line="35"/>
        <source>ok</source>
        <translation>成功</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="36"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="37"/>
        <source>skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="38"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="72"/>
        <source>Quick (2 shapes)</source>
        <translation>快速（2 项测试）</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="72"/>
        <source>LocalScore (all 9 shapes)</source>
        <translation>LocalScore（全部 9 项测试）</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="79"/>
        <source>measure</source>
        <translation>自动测量</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="81"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="83"/>
        <source>Shapes</source>
        <translation>测试项</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="84"/>
        <source>Repetitions</source>
        <translation>重复次数</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="85"/>
        <source>Electricity per kWh</source>
        <translation>每千瓦时电价</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="86"/>
        <source>Power draw (W) if not measurable</source>
        <translation>无法测量时的功耗（W）</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="87"/>
        <source>Cloud price per million tokens</source>
        <translation>云服务每百万 token 价格</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="88"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="90"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="96"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="96"/>
        <source>The model&apos;s name</source>
        <translation>模型名称</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="97"/>
        <source>Runs on</source>
        <translation>运行于</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="97"/>
        <source>CPU, GPU or the vision accelerator used</source>
        <translation>所用的 CPU、GPU 或视觉加速器</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="98"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="98"/>
        <source>ok, or why the model was skipped, failed or cancelled (hover the row)</source>
        <translation>成功，或模型被跳过、失败、取消的原因（将鼠标悬停在该行上）</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="99"/>
        <source>Prompt tok/s</source>
        <translation>提示词 token/秒</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="99"/>
        <source>Prompt tokens read per second (median over the shapes)</source>
        <translation>每秒读取的提示 token 数（各测试项的中位数）</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="100"/>
        <source>Generation tok/s</source>
        <translation>生成 token/秒</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="100"/>
        <source>Tokens written per second (median over the shapes)</source>
        <translation>每秒生成的 token 数（各测试项的中位数）</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="101"/>
        <source>TTFT / latency ms</source>
        <translation>首个 token / 延迟（毫秒）</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="101"/>
        <source>Language: time to the first token; vision: one image&apos;s latency</source>
        <translation>语言模型：首个 token 的用时；视觉模型：单张图片的延迟</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="102"/>
        <source>Score / images/s</source>
        <translation>得分 / 每秒图片数</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="102"/>
        <source>Language: LocalScore; vision: images per second, single / folder</source>
        <translation>语言模型：LocalScore 分数；视觉模型：每秒图片数（单张 / 文件夹）</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="103"/>
        <source>Peak RAM GB</source>
        <translation>峰值内存 GB</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="103"/>
        <source>The most memory the app used while measuring this model</source>
        <translation>测量该模型时应用占用的最大内存</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="104"/>
        <source>Generation tok/s predicted</source>
        <translation>预测生成 token/秒</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="104"/>
        <source>What the last run predicted for this model, to check it</source>
        <translation>上一次运行对该模型的预测值，用于核对</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="119"/>
        <source>Save HTML…</source>
        <translation>保存 HTML…</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="119"/>
        <source>Save PDF…</source>
        <translation>保存 PDF…</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="119"/>
        <source>Save JSON…</source>
        <translation>保存 JSON…</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="119"/>
        <source>Save CSV…</source>
        <translation>保存 CSV…</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="126"/>
        <source>Compare with a report…</source>
        <translation>与报告比较…</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="131"/>
        <source>Run an evaluation with a language model to see predictions.</source>
        <translation>用语言模型运行一次评估后，即可在此看到预测。</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="136"/>
        <source>Open the two selected side by side</source>
        <translation>并排打开所选的两次评估</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="152"/>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="155"/>
        <source>Quality</source>
        <translation>质量</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="156"/>
        <source>What to download next</source>
        <translation>下载建议</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="157"/>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="173"/>
        <source>&lt;b&gt;What can this computer do?&lt;/b&gt; Speed, memory and cost of each installed model.</source>
        <translation>&lt;b&gt;这台电脑能做什么？&lt;/b&gt;每个已安装模型的速度、内存占用和成本。</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="192"/>
        <source>{name} (remote engine)</source>
        <translation>{name}（远程引擎）</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="224"/>
        <source>Tick at least one model to evaluate.</source>
        <translation>请至少勾选一个要评估的模型。</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="243"/>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="250"/>
        <source>Cancelling… finished models are kept.</source>
        <translation>正在取消…已完成的模型结果会保留。</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="267"/>
        <source>, about {t} left</source>
        <translation>，大约还剩 {t}</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="268"/>
        <source>Model {i} of {n}: {model}: {step} ({elapsed}{left})</source>
        <translation>第 {i} 个模型，共 {n} 个：{model}：{step}（{elapsed}{left}）</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="299"/>
        <source>Cancelled after {t}; the finished models are kept.</source>
        <translation>已在 {t} 后取消；已完成的模型结果会保留。</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="299"/>
        <source>Finished in {t}.</source>
        <translation>用时 {t} 完成。</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="320"/>
        <source>Save the report</source>
        <translation>保存报告</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="346"/>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="359"/>
        <source>Predicted for this computer from the measured run: {basis}.</source>
        <translation>根据本机的实测结果预测：{basis}。</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="383"/>
        <source>&apos;{name}&apos; was downloaded. Run again to see its measured speed beside the prediction.</source>
        <translation>已下载“{name}”。再次运行即可在预测值旁看到它的实测速度。</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="416"/>
        <source>A report to compare with</source>
        <translation>选择要比较的报告</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="416"/>
        <source>Reports (*.json)</source>
        <translation>报告 (*.json)</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/pane.py" line="424"/>
        <source>Run an evaluation or select a kept run first, then compare.</source>
        <translation>请先运行一次评估，或在历史记录中选择一次评估，然后再比较。</translation>
    </message>
</context>
<context>
    <name>EvaluateSteps</name>
    <message>
        <location filename="../core/evaluate/language.py" line="86"/>
        <location filename="../core/evaluate/vision.py" line="56"/>
        <source>loading</source>
        <translation>正在加载</translation>
    </message>
    <message>
        <location filename="../core/evaluate/language.py" line="139"/>
        <location filename="../core/evaluate/vision.py" line="79"/>
        <source>warming up</source>
        <translation>正在预热</translation>
    </message>
    <message>
        <location filename="../core/evaluate/language.py" line="155"/>
        <source>{shape} tokens, run {i} of {n}</source>
        <translation>{shape} token，第 {i} 次，共 {n} 次</translation>
    </message>
    <message>
        <location filename="../core/evaluate/vision.py" line="86"/>
        <source>single image, run {i} of {n}</source>
        <translation>单张图片，第 {i} 次，共 {n} 次</translation>
    </message>
    <message>
        <location filename="../core/evaluate/vision.py" line="102"/>
        <source>folder of {n} images</source>
        <translation>{n} 张图片的文件夹</translation>
    </message>
</context>
<context>
    <name>EvaluateVerdicts</name>
    <message>
        <location filename="../core/evaluate/language.py" line="199"/>
        <source>Chat: replies start within {start:.1f} s and are written faster than a person reads.</source>
        <translation>聊天：回复在 {start:.1f} 秒内开始，生成速度快于人的阅读速度。</translation>
    </message>
    <message>
        <location filename="../core/evaluate/language.py" line="202"/>
        <source>Chat: replies take {start:.1f} s to start, then are written faster than a person reads.</source>
        <translation>聊天：回复需要 {start:.1f} 秒才开始，之后生成速度快于人的阅读速度。</translation>
    </message>
    <message>
        <location filename="../core/evaluate/language.py" line="205"/>
        <source>Chat: replies are written at {speed:.1f} tokens/s, slower than a person reads (about {reading:g}).</source>
        <translation>聊天：回复生成速度为每秒 {speed:.1f} 个 token，慢于人的阅读速度（约 {reading:g}）。</translation>
    </message>
    <message>
        <location filename="../core/evaluate/language.py" line="209"/>
        <source>Summarize: a {pages}-page PDF takes under a minute.</source>
        <translation>摘要：一份 {pages} 页的 PDF 不到一分钟。</translation>
    </message>
    <message>
        <location filename="../core/evaluate/language.py" line="211"/>
        <source>Summarize: a {pages}-page PDF takes about {minutes:.0f} min.</source>
        <translation>摘要：一份 {pages} 页的 PDF 约需 {minutes:.0f} 分钟。</translation>
    </message>
</context>
<context>
    <name>ExportFile</name>
    <message>
        <location filename="../ui/widgets/export_file.py" line="27"/>
        <source>Could not export: {error}</source>
        <translation>无法导出：{error}</translation>
    </message>
    <message>
        <location filename="../ui/widgets/export_file.py" line="30"/>
        <source>Exported to {path}</source>
        <translation>已导出到 {path}</translation>
    </message>
</context>
<context>
    <name>ExtractPanel</name>
    <message>
        <location filename="../ui/summarize/extract_panel.py" line="39"/>
        <source>Fields, separated by commas: party, start date, end date, notice period</source>
        <translation>字段，用逗号分隔：当事方, 开始日期, 结束日期, 通知期</translation>
    </message>
    <message>
        <location filename="../ui/summarize/extract_panel.py" line="41"/>
        <source>Save as template…</source>
        <translation>另存为模板…</translation>
    </message>
    <message>
        <location filename="../ui/summarize/extract_panel.py" line="35"/>
        <source>Extract</source>
        <translation>提取</translation>
    </message>
    <message>
        <location filename="../ui/summarize/extract_panel.py" line="47"/>
        <source>Click a cell to see where the document says it.</source>
        <translation>点击单元格，即可查看文档中对应的原文。</translation>
    </message>
    <message>
        <location filename="../ui/summarize/extract_panel.py" line="48"/>
        <source>Export {fmt}…</source>
        <translation>导出 {fmt}…</translation>
    </message>
    <message>
        <location filename="../ui/summarize/extract_panel.py" line="86"/>
        <source>Templates…</source>
        <translation>模板…</translation>
    </message>
    <message>
        <location filename="../ui/summarize/extract_panel.py" line="96"/>
        <source>Save fields as a template</source>
        <translation>将字段保存为模板</translation>
    </message>
    <message>
        <location filename="../ui/summarize/extract_panel.py" line="96"/>
        <source>Template name:</source>
        <translation>模板名称：</translation>
    </message>
    <message>
        <location filename="../ui/summarize/extract_panel.py" line="125"/>
        <source>Add a document or a folder to extract from first.</source>
        <translation>请先添加要提取的文档或文件夹。</translation>
    </message>
    <message>
        <location filename="../ui/summarize/extract_panel.py" line="132"/>
        <source>Document</source>
        <translation>文档</translation>
    </message>
    <message>
        <location filename="../ui/summarize/extract_panel.py" line="132"/>
        <source>Read</source>
        <translation>已读</translation>
    </message>
    <message>
        <location filename="../ui/summarize/extract_panel.py" line="139"/>
        <source>Cancelling… the rows so far are kept.</source>
        <translation>正在取消…已有的行会保留。</translation>
    </message>
    <message>
        <location filename="../ui/summarize/extract_panel.py" line="166"/>
        <source>{document} does not state {field}.</source>
        <translation>{document} 中没有写明{field}。</translation>
    </message>
    <message>
        <location filename="../ui/summarize/extract_panel.py" line="188"/>
        <source>Export the table</source>
        <translation>导出表格</translation>
    </message>
</context>
<context>
    <name>FindPanel</name>
    <message>
        <location filename="../ui/summarize/find_panel.py" line="20"/>
        <source>Find in documents (at least {n} characters)</source>
        <translation>在文档中查找（至少 {n} 个字符）</translation>
    </message>
    <message>
        <location filename="../ui/summarize/find_panel.py" line="59"/>
        <source>{n} passage(s) found</source>
        <translation>找到 {n} 个段落</translation>
    </message>
</context>
<context>
    <name>HardwareView</name>
    <message>
        <location filename="../ui/models/hardware_view.py" line="24"/>
        <source>Processor</source>
        <translation>处理器</translation>
    </message>
    <message>
        <location filename="../ui/models/hardware_view.py" line="25"/>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <location filename="../ui/models/hardware_view.py" line="26"/>
        <source>Graphics</source>
        <translation>显卡</translation>
    </message>
    <message>
        <location filename="../ui/models/hardware_view.py" line="27"/>
        <source>llama.cpp (chat)</source>
        <translation>llama.cpp（聊天）</translation>
    </message>
    <message>
        <location filename="../ui/models/hardware_view.py" line="28"/>
        <source>onnxruntime (vision)</source>
        <translation>onnxruntime（视觉）</translation>
    </message>
    <message>
        <location filename="../ui/models/hardware_view.py" line="29"/>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <location filename="../ui/models/hardware_view.py" line="39"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../ui/models/hardware_view.py" line="59"/>
        <source>{model} — {cores} cores, {threads} threads</source>
        <translation>{model} — {cores} 核，{threads} 线程</translation>
    </message>
    <message>
        <location filename="../ui/models/hardware_view.py" line="61"/>
        <source>{free} free of {total}</source>
        <translation>可用 {free}，共 {total}</translation>
    </message>
    <message>
        <location filename="../ui/models/hardware_view.py" line="63"/>
        <source>{name}: {free} free of {total} ({source})</source>
        <translation>{name}：可用 {free}，共 {total}（{source}）</translation>
    </message>
    <message>
        <location filename="../ui/models/hardware_view.py" line="68"/>
        <source>No supported GPU found (NVIDIA or Apple silicon).</source>
        <translation>未找到受支持的 GPU（NVIDIA 或 Apple 芯片）。</translation>
    </message>
    <message>
        <location filename="../ui/models/hardware_view.py" line="69"/>
        <source>GPU offload available</source>
        <translation>可将计算卸载到 GPU</translation>
    </message>
    <message>
        <location filename="../ui/models/hardware_view.py" line="69"/>
        <source>CPU only (no GPU offload in this build)</source>
        <translation>仅 CPU（此版本不支持 GPU 卸载）</translation>
    </message>
    <message>
        <location filename="../ui/models/hardware_view.py" line="70"/>
        <source>no SIMD extensions</source>
        <translation>无 SIMD 扩展</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../ui/models/import_dialog.py" line="40"/>
        <source>Import model</source>
        <translation>导入模型</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="42"/>
        <source>Copy into the library (the original can be moved or deleted)</source>
        <translation>复制到模型库（之后可移动或删除原文件）</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="43"/>
        <source>Use the file where it is (saves disk space)</source>
        <translation>在原位置使用文件（节省磁盘空间）</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="46"/>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="47"/>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
</context>
<context>
    <name>LabelMappingDialog</name>
    <message>
        <location filename="../ui/evaluate/label_dialog.py" line="16"/>
        <source>Labels for {model}</source>
        <translation>{model} 的标签</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/label_dialog.py" line="19"/>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/label_dialog.py" line="19"/>
        <source>Counts as (model labels, separated by ;)</source>
        <translation>对应的模型标签（用 ; 分隔）</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/label_dialog.py" line="32"/>
        <source>A prediction counts as a folder&apos;s class when it is one of these labels.</source>
        <translation>当预测结果是这些标签之一时，即算作该文件夹的类别。</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/label_dialog.py" line="49"/>
        <source>The model has no label named: {names}. Correct them or remove them.</source>
        <translation>模型中没有以下标签：{names}。请更正或删除它们。</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <location filename="../ui/language_menu.py" line="25"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../ui/language_menu.py" line="30"/>
        <source>Automatic (system language)</source>
        <translation>自动（跟随系统语言）</translation>
    </message>
    <message>
        <location filename="../ui/language_menu.py" line="48"/>
        <source>Could not save the language setting: {error}</source>
        <translation>无法保存语言设置：{error}</translation>
    </message>
    <message>
        <location filename="../ui/language_menu.py" line="44"/>
        <source>The new language is used the next time Hearth starts.</source>
        <translation>新语言将在下次启动 Hearth 时生效。</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <location filename="../ui/workspace/lock_screen.py" line="27"/>
        <source>Hearth is locked</source>
        <translation>Hearth 已锁定</translation>
    </message>
    <message>
        <location filename="../ui/workspace/lock_screen.py" line="29"/>
        <source>Enter your passphrase to see your conversations, summaries and results again.</source>
        <translation>输入密码短语即可重新查看你的对话、摘要和结果。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../ui/main_window.py" line="75"/>
        <source>Chat</source>
        <translation>聊天</translation>
    </message>
    <message>
        <location filename="../ui/main_window.py" line="76"/>
        <source>Documents</source>
        <translation>文档</translation>
    </message>
    <message>
        <location filename="../ui/main_window.py" line="77"/>
        <source>Classify</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../ui/main_window.py" line="78"/>
        <source>Detect</source>
        <translation>检测</translation>
    </message>
    <message>
        <location filename="../ui/main_window.py" line="79"/>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../ui/main_window.py" line="80"/>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <location filename="../ui/main_window.py" line="81"/>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location filename="../ui/main_window.py" line="118"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.py" line="185"/>
        <source>Only an encrypted workspace can be locked: choose Privacy › Encrypt… first.</source>
        <translation>只有已加密的工作区才能锁定：请先选择“隐私 › 加密…”。</translation>
    </message>
    <message>
        <location filename="../ui/network_status.py" line="31"/>
        <source>Everything runs on this computer. Nothing is sent anywhere.</source>
        <translation>一切都在本机运行，不会向任何地方发送数据。</translation>
    </message>
</context>
<context>
    <name>MessageBanner</name>
    <message>
        <location filename="../ui/widgets/banner.py" line="34"/>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>MessageView</name>
    <message>
        <location filename="../ui/chat/transcript.py" line="24"/>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../ui/chat/transcript.py" line="25"/>
        <source>Interrupted (the app closed while this reply was being written)</source>
        <translation>已中断（生成此回复时应用被关闭）</translation>
    </message>
    <message>
        <location filename="../ui/chat/transcript.py" line="26"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../ui/chat/transcript.py" line="27"/>
        <source>Not saved (the disk is full)</source>
        <translation>未保存（磁盘已满）</translation>
    </message>
    <message>
        <location filename="../ui/chat/transcript.py" line="114"/>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <location filename="../ui/chat/transcript.py" line="114"/>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <location filename="../ui/chat/transcript.py" line="119"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../ui/chat/transcript.py" line="119"/>
        <source>Copy this message</source>
        <translation>复制此消息</translation>
    </message>
    <message>
        <location filename="../ui/chat/transcript.py" line="121"/>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../ui/chat/transcript.py" line="121"/>
        <source>Edit this message and send it again</source>
        <translation>编辑此消息并重新发送</translation>
    </message>
    <message>
        <location filename="../ui/chat/transcript.py" line="124"/>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <location filename="../ui/chat/transcript.py" line="124"/>
        <source>Write this reply again</source>
        <translation>重新生成此回复</translation>
    </message>
</context>
<context>
    <name>ModelChooser</name>
    <message>
        <location filename="../ui/vision/model_chooser.py" line="22"/>
        <source>The model used for this pane</source>
        <translation>此面板使用的模型</translation>
    </message>
    <message>
        <location filename="../ui/vision/model_chooser.py" line="23"/>
        <source>Open .onnx…</source>
        <translation>打开 .onnx…</translation>
    </message>
    <message>
        <location filename="../ui/vision/model_chooser.py" line="29"/>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <location filename="../ui/vision/model_chooser.py" line="69"/>
        <source>Open an ONNX model</source>
        <translation>打开 ONNX 模型</translation>
    </message>
    <message>
        <location filename="../ui/vision/model_chooser.py" line="69"/>
        <source>ONNX models (*.onnx)</source>
        <translation>ONNX 模型 (*.onnx)</translation>
    </message>
</context>
<context>
    <name>ModelTable</name>
    <message>
        <location filename="../ui/models/table.py" line="15"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="16"/>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="17"/>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="18"/>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="19"/>
        <source>Quantization</source>
        <translation>量化</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="20"/>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="21"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="22"/>
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="23"/>
        <source>Chat template</source>
        <translation>聊天模板</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="24"/>
        <source>Inputs / outputs</source>
        <translation>输入 / 输出</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="25"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="26"/>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="30"/>
        <source>Chat</source>
        <translation>聊天</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="31"/>
        <source>Classify</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="32"/>
        <source>Detect</source>
        <translation>检测</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="33"/>
        <source>bundled</source>
        <translation>内置</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="34"/>
        <source>imported</source>
        <translation>已导入</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="35"/>
        <source>downloaded</source>
        <translation>已下载</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="36"/>
        <source>path</source>
        <translation>路径</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="78"/>
        <source>embedded</source>
        <translation>内嵌</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="80"/>
        <source>none (fallback)</source>
        <translation>无（使用通用模板）</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="86"/>
        <source>{n} labels</source>
        <translation>{n} 个标签</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="88"/>
        <source>{n} out</source>
        <translation>{n} 个输出</translation>
    </message>
</context>
<context>
    <name>ModelsPane</name>
    <message>
        <location filename="../ui/models/pane.py" line="55"/>
        <source>Search models (name, task, quantization, licence…)</source>
        <translation>搜索模型（名称、任务、量化、许可证…）</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="69"/>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="70"/>
        <source>Download…</source>
        <translation>下载…</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="71"/>
        <source>Set as default</source>
        <translation>设为默认</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="72"/>
        <source>Remove…</source>
        <translation>移除…</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="91"/>
        <source>Library</source>
        <translation>模型库</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="92"/>
        <source>Hardware</source>
        <translation>硬件</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="142"/>
        <source>Models that ship with Hearth cannot be removed.</source>
        <translation>Hearth 自带的模型无法移除。</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="153"/>
        <source>Problem: {error}</source>
        <translation>问题：{error}</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="170"/>
        <source>fits</source>
        <translation>装得下</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="170"/>
        <source>does not fit</source>
        <translation>装不下</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="171"/>
        <source>At {ctx} tokens of context it needs about {ram} GB of memory{vram}: {verdict} ({free} GB free).</source>
        <translation>上下文为 {ctx} token 时，约需 {ram} GB 内存{vram}：{verdict}（可用 {free} GB）。</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="174"/>
        <source> and {v} GB of GPU memory</source>
        <translation>和 {v} GB 显存</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="195"/>
        <source>&apos;{name}&apos; is now the default {task} model.</source>
        <translation>“{name}”现在是默认的{task}模型。</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="213"/>
        <source>The file stays where it is.</source>
        <translation>文件会保留在原位置。</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="213"/>
        <source>Its file in the library will be deleted.</source>
        <translation>模型库中的对应文件将被删除。</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="214"/>
        <source>Remove model</source>
        <translation>移除模型</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="214"/>
        <source>Remove &apos;{name}&apos;? {detail}</source>
        <translation>移除“{name}”？{detail}</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="223"/>
        <source>&apos;{name}&apos; was removed.</source>
        <translation>已移除“{name}”。</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="235"/>
        <source>Import a model</source>
        <translation>导入模型</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="235"/>
        <source>Models (*.gguf *.onnx);;All files (*)</source>
        <translation>模型 (*.gguf *.onnx);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="248"/>
        <source>Drop a .gguf or .onnx file to import it.</source>
        <translation>拖入 .gguf 或 .onnx 文件即可导入。</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="267"/>
        <source>Checking {name}…</source>
        <translation>正在检查 {name}…</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="276"/>
        <source>&apos;{name}&apos; was added to the library.</source>
        <translation>已将“{name}”添加到模型库。</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="299"/>
        <source>&apos;{name}&apos; was downloaded and added to the library.</source>
        <translation>已下载“{name}”并添加到模型库。</translation>
    </message>
</context>
<context>
    <name>NetworkStatusLabel</name>
    <message>
        <location filename="../ui/network_status.py" line="25"/>
        <source>Replies come from {url} — your messages are sent there.</source>
        <translation>回复来自 {url} — 你的消息会发送到那里。</translation>
    </message>
    <message>
        <location filename="../ui/network_status.py" line="27"/>
        <source>Connected to {hosts} for a download you asked for.</source>
        <translation>已连接到 {hosts}，用于你发起的下载。</translation>
    </message>
</context>
<context>
    <name>NextModelsTable</name>
    <message>
        <location filename="../ui/evaluate/suggestions.py" line="18"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/suggestions.py" line="18"/>
        <source>Size GB</source>
        <translation>大小 GB</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/suggestions.py" line="18"/>
        <source>Fits here</source>
        <translation>本机能否装下</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/suggestions.py" line="19"/>
        <source>Prompt tok/s (predicted)</source>
        <translation>提示词 token/秒（预测）</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/suggestions.py" line="19"/>
        <source>Generation tok/s (predicted)</source>
        <translation>生成 token/秒（预测）</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/suggestions.py" line="31"/>
        <source>yes</source>
        <translation>能</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/suggestions.py" line="31"/>
        <source>no: {why}</source>
        <translation>否：{why}</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/suggestions.py" line="38"/>
        <source>Installed</source>
        <translation>已安装</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/suggestions.py" line="38"/>
        <source>Download…</source>
        <translation>下载…</translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <location filename="../ui/workspace/encrypt_dialogs.py" line="28"/>
        <source>Your conversations, summaries and results will be stored encrypted. Without the passphrase or the recovery key shown next, nobody can read them, and neither can you.</source>
        <translation>你的对话、摘要和结果将加密存储。没有密码短语或接下来显示的恢复密钥，任何人都无法读取它们，你自己也不能。</translation>
    </message>
    <message>
        <location filename="../ui/workspace/encrypt_dialogs.py" line="37"/>
        <source>Remember the key in this computer&apos;s keychain</source>
        <translation>在本机的钥匙串中记住密钥</translation>
    </message>
    <message>
        <location filename="../ui/workspace/encrypt_dialogs.py" line="41"/>
        <source>No keychain on this system: Hearth asks the passphrase at every start.</source>
        <translation>此系统没有钥匙串：Hearth 每次启动时都会要求输入密码短语。</translation>
    </message>
    <message>
        <location filename="../ui/workspace/encrypt_dialogs.py" line="45"/>
        <source>Passphrase</source>
        <translation>密码短语</translation>
    </message>
    <message>
        <location filename="../ui/workspace/encrypt_dialogs.py" line="46"/>
        <source>Again</source>
        <translation>再次输入</translation>
    </message>
    <message>
        <location filename="../ui/workspace/encrypt_dialogs.py" line="59"/>
        <source>Use at least {n} characters.</source>
        <translation>请至少使用 {n} 个字符。</translation>
    </message>
    <message>
        <location filename="../ui/workspace/encrypt_dialogs.py" line="61"/>
        <source>The two passphrases differ.</source>
        <translation>两次输入的密码短语不一致。</translation>
    </message>
</context>
<context>
    <name>PassphraseForm</name>
    <message>
        <location filename="../ui/workspace/passphrase_form.py" line="24"/>
        <location filename="../ui/workspace/passphrase_form.py" line="40"/>
        <source>Passphrase</source>
        <translation>密码短语</translation>
    </message>
    <message>
        <location filename="../ui/workspace/passphrase_form.py" line="25"/>
        <source>This is my recovery key</source>
        <translation>这是我的恢复密钥</translation>
    </message>
    <message>
        <location filename="../ui/workspace/passphrase_form.py" line="27"/>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location filename="../ui/workspace/passphrase_form.py" line="40"/>
        <source>Recovery key</source>
        <translation>恢复密钥</translation>
    </message>
    <message>
        <location filename="../ui/workspace/passphrase_form.py" line="48"/>
        <source>Checking…</source>
        <translation>正在验证…</translation>
    </message>
</context>
<context>
    <name>PrivacyMenu</name>
    <message>
        <location filename="../ui/workspace/privacy_menu.py" line="16"/>
        <source>Never</source>
        <translation>从不</translation>
    </message>
    <message>
        <location filename="../ui/workspace/privacy_menu.py" line="17"/>
        <source>After 5 minutes idle</source>
        <translation>空闲 5 分钟后</translation>
    </message>
    <message>
        <location filename="../ui/workspace/privacy_menu.py" line="18"/>
        <source>After 15 minutes idle</source>
        <translation>空闲 15 分钟后</translation>
    </message>
    <message>
        <location filename="../ui/workspace/privacy_menu.py" line="19"/>
        <source>After 30 minutes idle</source>
        <translation>空闲 30 分钟后</translation>
    </message>
    <message>
        <location filename="../ui/workspace/privacy_menu.py" line="20"/>
        <source>After 60 minutes idle</source>
        <translation>空闲 60 分钟后</translation>
    </message>
    <message>
        <location filename="../ui/workspace/privacy_menu.py" line="32"/>
        <source>&amp;Privacy</source>
        <translation>隐私(&amp;P)</translation>
    </message>
    <message>
        <location filename="../ui/workspace/privacy_menu.py" line="35"/>
        <source>Encrypt my conversations, summaries and results…</source>
        <translation>加密我的对话、摘要和结果…</translation>
    </message>
    <message>
        <location filename="../ui/workspace/privacy_menu.py" line="36"/>
        <source>Change passphrase…</source>
        <translation>更改密码短语…</translation>
    </message>
    <message>
        <location filename="../ui/workspace/privacy_menu.py" line="37"/>
        <source>Lock now</source>
        <translation>立即锁定</translation>
    </message>
    <message>
        <location filename="../ui/workspace/privacy_menu.py" line="39"/>
        <source>Lock automatically</source>
        <translation>自动锁定</translation>
    </message>
    <message>
        <location filename="../ui/workspace/privacy_menu.py" line="65"/>
        <source>Could not save settings: {error}</source>
        <translation>无法保存设置：{error}</translation>
    </message>
    <message>
        <location filename="../ui/workspace/privacy_menu.py" line="71"/>
        <source>Encrypt my conversations, summaries and results</source>
        <translation>加密我的对话、摘要和结果</translation>
    </message>
    <message>
        <location filename="../ui/workspace/privacy_menu.py" line="80"/>
        <source>Change passphrase</source>
        <translation>更改密码短语</translation>
    </message>
    <message>
        <location filename="../ui/workspace/privacy_menu.py" line="105"/>
        <source>Your conversations, summaries and results are now stored encrypted.</source>
        <translation>你的对话、摘要和结果现已加密存储。</translation>
    </message>
</context>
<context>
    <name>QualityView</name>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="32"/>
        <source>Answers to a question set (CSV, XLSX, JSONL)</source>
        <translation>问题集的回答（CSV、XLSX、JSONL）</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="33"/>
        <source>Summaries against reference summaries</source>
        <translation>摘要与参考摘要对比</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="34"/>
        <source>Image classification (a folder per class)</source>
        <translation>图像分类（每个类别一个文件夹）</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="35"/>
        <source>Object detection (COCO JSON or YOLO labels)</source>
        <translation>目标检测（COCO JSON 或 YOLO 标注）</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="76"/>
        <source>The question file or the folder to score on</source>
        <translation>用于评分的问题文件或文件夹</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="77"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="79"/>
        <source>Starter set</source>
        <translation>入门数据集</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="80"/>
        <source>The small set that ships with Hearth (see assets/eval/README.md)</source>
        <translation>Hearth 自带的小型数据集（见 assets/eval/README.md）</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="85"/>
        <source>Labels…</source>
        <translation>标签…</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="86"/>
        <source>Which of the selected model&apos;s labels each class folder means</source>
        <translation>每个类别文件夹对应所选模型的哪些标签</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="88"/>
        <source>Score</source>
        <translation>评分</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="90"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="93"/>
        <source>Blind vote…</source>
        <translation>盲评…</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="94"/>
        <source>Two models&apos; answers as A and B in random order; names shown at the end</source>
        <translation>两个模型的回答以 A、B 随机顺序显示；最后才显示模型名称</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="103"/>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="103"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="103"/>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="103"/>
        <source>Expected</source>
        <translation>期望答案</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="104"/>
        <source>Scores</source>
        <translation>得分</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="104"/>
        <source>By hand</source>
        <translation>人工标记</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="108"/>
        <source>Mark right</source>
        <translation>标为正确</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="109"/>
        <source>Mark wrong</source>
        <translation>标为错误</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="110"/>
        <source>Clear mark</source>
        <translation>清除标记</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="149"/>
        <source>Models to compare (2–4 side by side, or one):</source>
        <translation>要比较的模型（并排 2–4 个，或 1 个）：</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="181"/>
        <source>A question set</source>
        <translation>问题集</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="182"/>
        <source>Question sets (*.csv *.xlsx *.jsonl)</source>
        <translation>问题集 (*.csv *.xlsx *.jsonl)</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="184"/>
        <source>The folder to score on</source>
        <translation>用于评分的文件夹</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="199"/>
        <source>Choose the data and tick one to four models.</source>
        <translation>请选择数据，并勾选一到四个模型。</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="225"/>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="241"/>
        <source>{model}: {step} ({done} of {total})</source>
        <translation>{model}：{step}（{done}/{total}）</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="249"/>
        <source>Scored {n} items.</source>
        <translation>已评分 {n} 项。</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="250"/>
        <source>Cancelled; the scored items are kept.</source>
        <translation>已取消；已评分的项目会保留。</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="276"/>
        <source>Items per second</source>
        <translation>每秒项目数</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="278"/>
        <source>Words per summary</source>
        <translation>每篇摘要字数</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="279"/>
        <source>Seconds per page</source>
        <translation>每页秒数</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="295"/>
        <source>The best of the models compared</source>
        <translation>所比较模型中的最佳值</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="309"/>
        <source>The scores disagree: worth a look</source>
        <translation>各项得分不一致：值得人工查看</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="312"/>
        <source>Problems:</source>
        <translation>问题：</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="333"/>
        <source>right</source>
        <translation>正确</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="333"/>
        <source>wrong</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/quality_view.py" line="378"/>
        <source>Choose the folder and a model first.</source>
        <translation>请先选择文件夹和模型。</translation>
    </message>
</context>
<context>
    <name>RecoverBar</name>
    <message>
        <location filename="../ui/workspace/recover_bar.py" line="38"/>
        <source>Recover what is readable…</source>
        <translation>恢复可读取的内容…</translation>
    </message>
    <message>
        <location filename="../ui/workspace/recover_bar.py" line="43"/>
        <source>The conversation database is damaged. Hearth opened an empty temporary workspace instead: nothing in this session is saved. The damaged file is kept as it is.</source>
        <translation>对话数据库已损坏。Hearth 改为打开了一个空的临时工作区：本次会话中的内容都不会保存。损坏的文件保持原样。</translation>
    </message>
    <message>
        <location filename="../ui/workspace/recover_bar.py" line="57"/>
        <source>Recovered {conversations} conversations, {messages} messages and {summaries} summaries into a new database. The damaged file is kept as {kept}. Restart Hearth to use the recovered conversations.</source>
        <translation>已将 {conversations} 个对话、{messages} 条消息和 {summaries} 篇摘要恢复到新数据库。损坏的文件已保留为 {kept}。请重新启动 Hearth 以使用恢复的对话。</translation>
    </message>
</context>
<context>
    <name>RecoveryKeyDialog</name>
    <message>
        <location filename="../ui/workspace/encrypt_dialogs.py" line="71"/>
        <source>Your recovery key</source>
        <translation>你的恢复密钥</translation>
    </message>
    <message>
        <location filename="../ui/workspace/encrypt_dialogs.py" line="74"/>
        <source>Print this key or write it down and keep it away from this computer. It opens your conversations if you forget the passphrase or the keychain loses it. Hearth shows it only now.</source>
        <translation>请打印或抄下此密钥，并与这台电脑分开保管。如果你忘记了密码短语，或钥匙串丢失了密钥，可以用它打开你的对话。Hearth 只在此时显示一次。</translation>
    </message>
    <message>
        <location filename="../ui/workspace/encrypt_dialogs.py" line="82"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
</context>
<context>
    <name>ServePane</name>
    <message>
        <location filename="../ui/serve/pane.py" line="81"/>
        <source>Serve a model to other programs and PCs (OpenAI-compatible)</source>
        <translation>将模型提供给其他程序和电脑使用（兼容 OpenAI 接口）</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="84"/>
        <source>Share on my network (anyone with the key can use it)</source>
        <translation>在我的网络中共享（持有密钥的人都可以使用）</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="91"/>
        <source>Serve this model</source>
        <translation>提供此模型服务</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="92"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="98"/>
        <location filename="../ui/serve/pane.py" line="220"/>
        <source>Not serving.</source>
        <translation>未在提供服务。</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="102"/>
        <source>No key: this PC only</source>
        <translation>无密钥：仅限本机</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="106"/>
        <source>Copy example</source>
        <translation>复制示例</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="109"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="111"/>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="112"/>
        <source>Clients at once</source>
        <translation>同时连接的客户端数</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="114"/>
        <location filename="../ui/serve/pane.py" line="256"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="115"/>
        <location filename="../ui/serve/pane.py" line="257"/>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="116"/>
        <source>Example</source>
        <translation>示例</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="118"/>
        <source>Activity</source>
        <translation>活动</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="146"/>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="162"/>
        <source>this PC&apos;s address</source>
        <translation>本机地址</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="167"/>
        <source>Serving {model}; Chat and Summarize use this server for it.</source>
        <translation>正在提供 {model} 服务；“聊天”和“摘要”会通过此服务器使用它。</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="170"/>
        <source>Give this key only to the people who may use the model; it is shown only while serving.</source>
        <translation>只把此密钥交给可以使用该模型的人；它仅在提供服务期间显示。</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="188"/>
        <source>The server stopped unexpectedly: {output}</source>
        <translation>服务器意外停止：{output}</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="195"/>
        <source>{served} requests served · {active} active now · {tps:.1f} tokens/s</source>
        <translation>已处理 {served} 个请求 · 当前活动 {active} 个 · {tps:.1f} token/秒</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="241"/>
        <source>Remote engines (llama.cpp server, vLLM, Ollama, another Hearth)</source>
        <translation>远程引擎（llama.cpp 服务器、vLLM、Ollama、另一台 Hearth）</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="246"/>
        <source>office-gpu</source>
        <translation>office-gpu</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="251"/>
        <source>optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="255"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="258"/>
        <source>Keep the key</source>
        <translation>保存密钥</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="260"/>
        <source>Test and add</source>
        <translation>测试并添加</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="261"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="280"/>
        <source>in the system keychain</source>
        <translation>保存在系统钥匙串中</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="281"/>
        <source>in the encrypted workspace</source>
        <translation>保存在加密工作区中</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="282"/>
        <source>only until Hearth closes (not stored)</source>
        <translation>仅保留到 Hearth 关闭（不保存）</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="300"/>
        <source>This system has no keychain: the key can be kept in your encrypted workspace.</source>
        <translation>本系统没有钥匙串：密钥可以保存在你的加密工作区中。</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="303"/>
        <source>This system has no keychain and your workspace is not encrypted, so the key is kept only until Hearth closes. To keep it, choose Privacy › Encrypt my conversations…, then add the engine again.</source>
        <translation>本系统没有钥匙串，且你的工作区未加密，因此密钥只保留到 Hearth 关闭。要保存它，请选择“隐私 › 加密我的对话、摘要和结果…”，然后重新添加该引擎。</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="320"/>
        <source>Give the engine a name and an address.</source>
        <translation>请为引擎填写名称和地址。</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="324"/>
        <source>Asking {url} for its models…</source>
        <translation>正在向 {url} 查询其模型…</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="333"/>
        <source>{url} serves no models yet.</source>
        <translation>{url} 尚未提供任何模型。</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="344"/>
        <location filename="../ui/serve/pane.py" line="378"/>
        <source>Could not save settings: {error}</source>
        <translation>无法保存设置：{error}</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="347"/>
        <source>Added {name}: {models}. Chat and Summarize list it as “{model} @ {name}”.</source>
        <translation>已添加 {name}：{models}。“聊天”和“摘要”中会显示为“{model} @ {name}”。</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="351"/>
        <source>The key is kept in the system keychain.</source>
        <translation>密钥已保存在系统钥匙串中。</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="352"/>
        <source>The key is kept in the encrypted workspace.</source>
        <translation>密钥已保存在加密工作区中。</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="353"/>
        <source>The key is kept only until Hearth closes.</source>
        <translation>密钥只保留到 Hearth 关闭为止。</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="379"/>
        <source>Removed {name} and its key.</source>
        <translation>已移除 {name} 及其密钥。</translation>
    </message>
    <message>
        <location filename="../ui/serve/pane.py" line="380"/>
        <source>Removed {name}.</source>
        <translation>已移除 {name}。</translation>
    </message>
</context>
<context>
    <name>SidecarForm</name>
    <message>
        <location filename="../ui/models/import_dialog.py" line="66"/>
        <source>Describe {name}</source>
        <translation>描述 {name}</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="80"/>
        <source>0–1 (pixels / 255)</source>
        <translation>0–1（像素值 / 255）</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="82"/>
        <source>ImageNet mean/std</source>
        <translation>ImageNet 均值/标准差</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="84"/>
        <source>-1–1</source>
        <translation>-1–1</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="85"/>
        <source>0–255 (raw pixels)</source>
        <translation>0–255（原始像素值）</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="92"/>
        <source>a text file, one label per line (optional)</source>
        <translation>文本文件，每行一个标签（可选）</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="93"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="107"/>
        <source>Task:</source>
        <translation>任务：</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="108"/>
        <source>Input layout:</source>
        <translation>输入布局：</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="109"/>
        <source>Input size (w × h):</source>
        <translation>输入尺寸（宽 × 高）：</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="110"/>
        <source>Colour order:</source>
        <translation>颜色顺序：</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="111"/>
        <source>Normalisation:</source>
        <translation>归一化：</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="112"/>
        <source>Resize:</source>
        <translation>缩放方式：</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="113"/>
        <source>Output decoder:</source>
        <translation>输出解码器：</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="114"/>
        <source>Labels:</source>
        <translation>标签：</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="128"/>
        <source>Labels file</source>
        <translation>标签文件</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="128"/>
        <source>Text files (*.txt);;All files (*)</source>
        <translation>文本文件 (*.txt);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>SummarizePane</name>
    <message>
        <location filename="../ui/summarize/pane.py" line="68"/>
        <source>Summarize</source>
        <translation>生成摘要</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="70"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="78"/>
        <source>The summary appears here.</source>
        <translation>摘要将显示在这里。</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="82"/>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="83"/>
        <location filename="../ui/summarize/pane.py" line="406"/>
        <source>Parts</source>
        <translation>分段</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="84"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="85"/>
        <source>Export Markdown…</source>
        <translation>导出 Markdown…</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="86"/>
        <source>Export text…</source>
        <translation>导出文本…</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="140"/>
        <source>Cancel the running summary before opening another document.</source>
        <translation>请先取消正在进行的摘要，再打开其他文档。</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="142"/>
        <source>Reading {name}…</source>
        <translation>正在读取 {name}…</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="161"/>
        <source>{n} pages</source>
        <translation>{n} 页</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="162"/>
        <source>{n:,} characters</source>
        <translation>{n:,} 个字符</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="170"/>
        <source>No document yet.</source>
        <translation>尚未打开文档。</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="196"/>
        <source>Counting tokens with {model}…</source>
        <translation>正在用 {model} 统计 token…</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="215"/>
        <source>measured</source>
        <translation>实测</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="215"/>
        <source>estimated</source>
        <translation>估计</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="217"/>
        <source>{tokens:,} tokens · {parts} part(s) · about {time} on this computer ({basis})</source>
        <translation>{tokens:,} token · {parts} 段 · 在本机约需 {time}（{basis}）</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="255"/>
        <source>Open a document, drop one here, or paste text first.</source>
        <translation>请先打开文档、将文档拖到这里或粘贴文本。</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="279"/>
        <source>Loading {model}…</source>
        <translation>正在加载 {model}…</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="293"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="310"/>
        <location filename="../ui/summarize/pane.py" line="319"/>
        <source>Part {i} of {n}</source>
        <translation>第 {i} 段，共 {n} 段</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="312"/>
        <source>Combining partial summaries</source>
        <translation>正在合并各段摘要</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="314"/>
        <source>Writing the summary</source>
        <translation>正在撰写摘要</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="316"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="321"/>
        <source>Parts ({n})</source>
        <translation>分段（{n}）</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="328"/>
        <source> · about {time} left (measured: {rate} tokens/s written)</source>
        <translation> · 约剩 {time}（实测：每秒生成 {rate} token）</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="331"/>
        <source> · about {time} left (estimated)</source>
        <translation> · 约剩 {time}（估计）</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="343"/>
        <source>{parts} part(s) · {tokens:,} tokens · {time}</source>
        <translation>{parts} 段 · {tokens:,} token · {time}</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="347"/>
        <source> · speculative: {rate:.1f} tokens/step</source>
        <translation> · 推测解码：每步 {rate:.1f} 个 token</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="349"/>
        <source>Cancelled · {stats}</source>
        <translation>已取消 · {stats}</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="351"/>
        <source>Cancelled after {done} of {n} part(s). The partial results are kept below.</source>
        <translation>已在完成 {done}/{n} 段后取消。已完成部分的结果保留在下方。</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="357"/>
        <source>Done · {stats}</source>
        <translation>完成 · {stats}</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="421"/>
        <source>Copied to the clipboard.</source>
        <translation>已复制到剪贴板。</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="429"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="429"/>
        <source>Text (*.txt)</source>
        <translation>文本 (*.txt)</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="431"/>
        <source>Export summary</source>
        <translation>导出摘要</translation>
    </message>
</context>
<context>
    <name>SummaryHistory</name>
    <message>
        <location filename="../ui/summarize/history.py" line="23"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../ui/summarize/history.py" line="25"/>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <location filename="../ui/summarize/history.py" line="40"/>
        <source> (cancelled)</source>
        <translation>（已取消）</translation>
    </message>
</context>
<context>
    <name>SummaryOptions</name>
    <message>
        <location filename="../ui/summarize/options.py" line="21"/>
        <source>The chat model that writes the summary</source>
        <translation>撰写摘要的聊天模型</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="23"/>
        <source>Short</source>
        <translation>简短</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="23"/>
        <source>Medium</source>
        <translation>中等</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="23"/>
        <source>Long</source>
        <translation>详细</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="25"/>
        <source>Target in words</source>
        <translation>指定字数</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="31"/>
        <source> words</source>
        <translation> 字</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="34"/>
        <source>Paragraphs</source>
        <translation>段落</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="35"/>
        <source>Bullet points</source>
        <translation>要点列表</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="37"/>
        <source>Optional, e.g. what are the risks?</source>
        <translation>可选，例如：有哪些风险？</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="40"/>
        <source>Auto writes in the document&apos;s own language; type another language to choose it</source>
        <translation>“自动”使用文档本身的语言；也可输入其他语言名称来指定</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="42"/>
        <source>Auto (the document&apos;s language)</source>
        <translation>自动（文档的语言）</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="43"/>
        <source>English</source>
        <translation>英语</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="44"/>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="45"/>
        <source>French</source>
        <translation>法语</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="46"/>
        <source>German</source>
        <translation>德语</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="47"/>
        <source>Spanish</source>
        <translation>西班牙语</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="48"/>
        <source>Japanese</source>
        <translation>日语</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="57"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="58"/>
        <source>Length</source>
        <translation>长度</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="59"/>
        <source>Form</source>
        <translation>形式</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="60"/>
        <source>Focus</source>
        <translation>重点</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="61"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <location filename="../ui/workspace/unlock_dialog.py" line="17"/>
        <source>Unlock Hearth</source>
        <translation>解锁 Hearth</translation>
    </message>
    <message>
        <location filename="../ui/workspace/unlock_dialog.py" line="19"/>
        <source>Your conversations, summaries and results are encrypted. Enter the passphrase to open them.</source>
        <translation>你的对话、摘要和结果已加密。请输入密码短语以打开它们。</translation>
    </message>
</context>
<context>
    <name>VisionBatchPane</name>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="73"/>
        <source>No model for this pane is installed. Use &apos;Open .onnx…&apos; to choose one.</source>
        <translation>此面板没有已安装的模型。请用“打开 .onnx…”选择一个。</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="81"/>
        <source>Add images…</source>
        <translation>添加图片…</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="82"/>
        <source>Add folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="83"/>
        <source>Paste</source>
        <translation>粘贴</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="84"/>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="85"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="90"/>
        <location filename="../ui/vision/batch_pane.py" line="376"/>
        <source>Drop images or folders here, or paste an image.</source>
        <translation>将图片或文件夹拖到这里，或粘贴图片。</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="93"/>
        <source>Filter results…</source>
        <translation>筛选结果…</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="175"/>
        <source>Loading {name}…</source>
        <translation>正在加载 {name}…</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="190"/>
        <source>{w}×{h} input · {n} labels · {provider}</source>
        <translation>输入 {w}×{h} · {n} 个标签 · {provider}</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="243"/>
        <source>The clipboard holds no image or file.</source>
        <translation>剪贴板中没有图片或文件。</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="248"/>
        <source>pasted image {n}</source>
        <translation>粘贴的图片 {n}</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="255"/>
        <source>Add images</source>
        <translation>添加图片</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="255"/>
        <source>Images (*.jpg *.jpeg *.png *.bmp *.webp *.tif *.tiff);;All files (*)</source>
        <translation>图片 (*.jpg *.jpeg *.png *.bmp *.webp *.tif *.tiff);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="261"/>
        <source>Add a folder of images</source>
        <translation>添加图片文件夹</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="306"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="313"/>
        <source>{done}/{total} · {rate:.1f} images/s · {eta} left · {failed} failed</source>
        <translation>{done}/{total} · {rate:.1f} 张/秒 · 剩余 {eta} · {failed} 张失败</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="318"/>
        <source>{total} images queued</source>
        <translation>{total} 张图片排队中</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="348"/>
        <source>{n} images in {s:.1f} s ({rate:.1f} images/s), {failed} failed</source>
        <translation>{n} 张图片，用时 {s:.1f} 秒（{rate:.1f} 张/秒），{failed} 张失败</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="353"/>
        <source>Cancelled. </source>
        <translation>已取消。</translation>
    </message>
</context>
</TS>
